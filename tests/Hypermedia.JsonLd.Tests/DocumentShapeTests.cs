using System.Text.Json;

namespace Hypermedia.JsonLd.Tests;

public sealed class DocumentShapeTests
{
    private sealed class Widget() : Resource("Widget")
    {
        public required string Name { get; init; }
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Context_type_and_id_come_first_in_that_order()
    {
        var json = JsonSerializer.Serialize(new Widget { Id = "/widgets/1", Name = "w" }, Web);

        Assert.Equal("""{"@context":"/contexts/Widget.jsonld","@type":"Widget","id":"/widgets/1","name":"w"}""", json);
    }

    [Fact]
    public void A_collection_page_carries_members_total_and_view_with_null_links()
    {
        var page = new HydraCollection<Widget>
        {
            Id = "/widgets",
            Members = [new Widget { Id = "/widgets/1", Name = "w" }],
            TotalItems = 7,
            View = new PartialCollectionView { Id = "/widgets?$top=1", First = "/widgets" },
        };

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(page, Web));
        var root = json.RootElement;

        Assert.Equal("hydra:Collection", root.GetProperty("@type").GetString());
        Assert.Equal("/contexts/hydra:Collection.jsonld", root.GetProperty("@context").GetString());
        Assert.Equal(7, root.GetProperty("totalItems").GetInt64());
        Assert.Equal("Widget", root.GetProperty("members")[0].GetProperty("@type").GetString());
        var view = root.GetProperty("view");
        Assert.Equal("hydra:PartialCollectionView", view.GetProperty("@type").GetString());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("next").ValueKind);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("previous").ValueKind);
    }

    [Fact]
    public void A_problem_keeps_its_rfc_9457_type_apart_from_its_json_ld_type()
    {
        var json = JsonSerializer.Serialize(new Problem
        {
            ProblemType = "https://hypermedia.dev/problems/validation",
            Title = "Unprocessable Entity",
            Status = 422,
            Detail = "name is required.",
            Instance = "/demo/contacts",
        }, Web);

        using var parsed = JsonDocument.Parse(json);
        Assert.Equal("hydra:Error", parsed.RootElement.GetProperty("@type").GetString());
        Assert.Equal("https://hypermedia.dev/problems/validation", parsed.RootElement.GetProperty("type").GetString());
        Assert.Equal("name is required.", parsed.RootElement.GetProperty("error").GetString());
        Assert.False(parsed.RootElement.TryGetProperty("errors", out _));
    }

    [Theory]
    [InlineData("Account.jsonld", "Account")]
    [InlineData("hydra:Collection.jsonld", "hydra:Collection")]
    [InlineData("Account.json", null)]
    [InlineData("../secrets.jsonld", null)]
    [InlineData("a/b.jsonld", null)]
    public void Context_file_names_map_to_type_names_and_nothing_else(string fileName, string? typeName) =>
        Assert.Equal(typeName, Contexts.TypeOf(fileName));
}
