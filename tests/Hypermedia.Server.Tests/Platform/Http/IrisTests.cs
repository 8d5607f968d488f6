using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hypermedia.Server.Tests.Platform.Http;

/// <summary>IRIs built from route templates are exactly what ASP.NET Core's link generator builds.</summary>
public sealed class IrisTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    public static TheoryData<string> Values => ["acme", "+13035551234", "a b", "a/b", "100%", "x?y#z", "ünï", "😀", "..", "a+b&c=d"];

    [Theory]
    [MemberData(nameof(Values))]
    public void Every_named_route_gives_the_link_generators_path(string value)
    {
        var iris = api.Services.GetRequiredService<Iris>();
        var links = api.Services.GetRequiredService<LinkGenerator>();
        var routes = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Name: e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName, e.RoutePattern))
            .Where(r => r.Name is not null)
            .ToList();
        Assert.NotEmpty(routes);

        foreach (var (name, pattern) in routes)
        {
            var values = new RouteValueDictionary();
            foreach (var parameter in pattern.Parameters)
            {
                values[parameter.Name] = value;
            }

            Assert.Equal(links.GetPathByName(name!, values), iris.For(name!, values));
        }
    }

    [Fact]
    public void Values_the_route_does_not_take_become_a_query_as_the_link_generator_makes_them()
    {
        var iris = api.Services.GetRequiredService<Iris>();

        Assert.Equal("/contacts/abc?q=x%20y", iris.For("contact", new { id = "abc", q = "x y" }));
    }

    [Fact]
    public void A_missing_value_is_refused()
    {
        var iris = api.Services.GetRequiredService<Iris>();

        Assert.Throws<InvalidOperationException>(() => iris.For("contact", new { }));
    }
}
