using Hypermedia.Server.Features.Personalization;

namespace Hypermedia.Server.Tests.Features.Personalization;

/// <summary>The renderer on its own: what a body may hold, what is refused and why, and how it renders.</summary>
public sealed class BodyTemplateTests
{
    private static readonly PersonalizationVariables Variables = PersonalizationVariables.Of(["birthday", "calendar-link", "vip_level"], ["calendar"]);

    private static readonly PersonalizationValues Values = new(
        new Dictionary<string, string?> { ["firstName"] = "Ada", ["lastName"] = "Lovelace", ["name"] = "Ada Lovelace", ["birthday"] = "--12-10", ["calendar-link"] = null, ["vip_level"] = " " },
        new Dictionary<string, string?> { ["firstName"] = "Chuck", ["lastName"] = "Norris", ["name"] = "Chuck Norris", ["calendar"] = "https://calend.ly/chuck-norris" },
        new Dictionary<string, string?> { ["name"] = "Demo & Co" });

    private static BodyTemplate Valid(string body)
    {
        var template = BodyTemplate.Parse(body, Variables, out var errors);
        Assert.Empty(errors);
        return template;
    }

    private static string Rendered(string body)
    {
        var result = Valid(body).Render(Values);
        Assert.Empty(result.Missing);
        return result.Text!;
    }

    private static string Refused(string body)
    {
        BodyTemplate.Parse(body, Variables, out var errors);
        return Assert.Single(errors);
    }

    [Fact]
    public void The_seed_example_renders_the_users_calendar()
    {
        Assert.Equal("Check out my availability at https://calend.ly/chuck-norris", Rendered("Check out my availability at {{user.calendar}}"));
    }

    [Fact]
    public void A_body_without_braces_is_plain_and_renders_to_itself()
    {
        var template = Valid("Hello { there } 100% }} sure");

        Assert.True(template.IsPlain);
        Assert.Empty(template.Variables);
        Assert.Equal("Hello { there } 100% }} sure", template.Render(Values).Text);
    }

    [Theory]
    [InlineData("{{contact.firstName}}", "Ada")]
    [InlineData("{{contact.lastName}}", "Lovelace")]
    [InlineData("{{contact.name}}", "Ada Lovelace")]
    [InlineData("{{user.firstName}}", "Chuck")]
    [InlineData("{{user.lastName}}", "Norris")]
    [InlineData("{{user.name}}", "Chuck Norris")]
    [InlineData("{{account.name}}", "Demo & Co")]
    [InlineData("{{contact.birthday}}", "--12-10")]
    [InlineData("{{ user.calendar }}", "https://calend.ly/chuck-norris")]
    [InlineData("{{- contact.firstName -}}", "Ada")]
    public void Each_variable_renders_its_value(string body, string text)
    {
        Assert.Equal(text, Rendered(body));
    }

    [Fact]
    public void A_body_renders_text_and_variables_in_order_and_lists_each_variable_once()
    {
        var template = Valid("Hi {{contact.firstName}}, {{user.firstName}} of {{account.name}} here. {{contact.firstName}}?");

        Assert.False(template.IsPlain);
        Assert.Equal(["contact.firstName", "user.firstName", "account.name"], template.Variables);
        Assert.Equal("Hi Ada, Chuck of Demo & Co here. Ada?", template.Render(Values).Text);
    }

    [Fact]
    public void Nothing_is_html_escaped()
    {
        var values = Values with { Contact = new Dictionary<string, string?> { ["firstName"] = "Tom & Jerry <3 \"q\" 'a'" } };

        Assert.Equal("Tom & Jerry <3 \"q\" 'a' & <b>", Valid("{{contact.firstName}} & <b>").Render(values).Text);
    }

    [Theory]
    [InlineData("Hi {{contact.vip_level | default: \"friend\"}}", "Hi friend")]
    [InlineData("Hi {{contact.calendar-link | default: 'later'}}", "Hi later")]
    [InlineData("Hi {{contact.firstName | default: \"there\"}}", "Hi Ada")]
    [InlineData("Hi {{contact.firstName | default: \"\"}}!", "Hi Ada!")]
    public void A_fallback_stands_in_for_a_missing_or_blank_value_only(string body, string text)
    {
        Assert.Equal(text, Rendered(body));
    }

    [Fact]
    public void A_missing_value_without_fallback_renders_nothing_and_names_the_variables()
    {
        var template = Valid("{{contact.calendar-link}} {{contact.vip_level}} {{contact.firstName}} {{contact.calendar-link}}");

        var result = template.Render(Values);

        Assert.Null(result.Text);
        Assert.False(result.IsRendered);
        Assert.Equal(["contact.calendar-link", "contact.vip_level"], result.Missing);
        Assert.Equal("{{contact.calendar-link}}, {{contact.vip_level}} have no value for this recipient and no fallback (write it as {{contact.calendar-link | default: \"…\"}} to send anyway)",
            result.Problem);
    }

    [Fact]
    public void A_recipient_without_a_contact_lacks_every_contact_variable()
    {
        var noContact = Values with { Contact = new Dictionary<string, string?>() };

        var result = Valid("Hi {{contact.firstName}} from {{user.firstName}}").Render(noContact);

        Assert.Equal(["contact.firstName"], result.Missing);
        Assert.Equal("{{contact.firstName}} has no value for this recipient and no fallback (write it as {{contact.firstName | default: \"…\"}} to send anyway)", result.Problem);
        Assert.Equal("Hi there from Chuck", Valid("Hi {{contact.firstName | default: \"there\"}} from {{user.firstName}}").Render(noContact).Text);
    }

    [Fact]
    public void An_unknown_variable_is_named_with_the_known_ones()
    {
        Assert.Equal("{{contact.nickname}} is not a variable of this account; known: contact.firstName, contact.lastName, contact.name, contact.birthday, contact.calendar-link, contact.vip_level",
            Refused("Hi {{contact.nickname}}"));
        Assert.Equal("{{user.phone}} is not a variable of this account; known: user.firstName, user.lastName, user.name, user.calendar", Refused("{{user.phone}}"));
        Assert.Equal("{{account.slug}} is not a variable of this account; known: account.name", Refused("{{ account.slug | default: 'x' }}"));
    }

    [Fact]
    public void A_variable_spelled_in_another_case_is_refused_with_a_suggestion()
    {
        Assert.StartsWith("{{contact.firstname}} is not a variable of this account; did you mean {{contact.firstName}}? known: ", Refused("{{contact.firstname}}"));
    }

    [Theory]
    [InlineData("{{contact}}", "{{contact}} is not a variable of this account; known: contact.firstName")]
    [InlineData("{{contact.firstName.size}}", "{{contact.firstName.size}} is not a variable of this account; known: contact.firstName")]
    [InlineData("{{firstName}}", "{{firstName}} is not a variable; variables start with contact., user., account.")]
    [InlineData("{{ Contact.firstName }}", "{{Contact.firstName}} is not a variable; variables start with contact., user., account.")]
    public void Anything_but_object_dot_member_is_not_a_variable(string body, string error)
    {
        Assert.StartsWith(error, Refused(body));
    }

    [Theory]
    [InlineData("{% if contact.firstName %}Hi{% endif %}", "{% if %} is a Liquid tag; tags are not allowed, only variables such as {{contact.firstName}}")]
    [InlineData("{% assign x = 'y' %}", "{% assign %} is a Liquid tag")]
    [InlineData("{% for i in (1..3) %}x{% endfor %}", "{% for %} is a Liquid tag")]
    [InlineData("{% raw %}{{contact.firstName}}{% endraw %}", "{% raw %} is a Liquid tag")]
    [InlineData("{% comment %}secret{% endcomment %}", "{% comment %} is a Liquid tag")]
    [InlineData("{% capture x %}y{% endcapture %}", "{% capture %} is a Liquid tag")]
    [InlineData("{% include 'other' %}", "{% include %} is a Liquid tag")]
    [InlineData("{% cycle 'a', 'b' %}", "{% cycle %} is a Liquid tag")]
    public void Liquid_tags_are_refused_naming_the_tag(string body, string error)
    {
        Assert.StartsWith(error, Refused(body));
    }

    [Fact]
    public void A_tag_with_no_double_brace_is_still_a_template_and_refused()
    {
        var template = BodyTemplate.Parse("{% if x %}free{% endif %}", Variables, out var errors);

        Assert.False(template.IsPlain);
        Assert.Equal(["{% if %} is a Liquid tag; tags are not allowed, only variables such as {{contact.firstName}}"], errors);
    }

    [Theory]
    [InlineData("{{contact.firstName | upcase}}", "{{contact.firstName | upcase}} uses the filter upcase; the only filter allowed is | default: \"text\"")]
    [InlineData("{{contact.firstName | append: '!'}}", "{{contact.firstName | append: \"!\"}} uses the filter append")]
    [InlineData("{{contact.firstName | default: 'a' | upcase}}", "{{contact.firstName | default: \"a\" | upcase}} applies more than one filter")]
    [InlineData("{{contact.firstName | default: 'a' | default: 'b'}}", "{{contact.firstName | default: \"a\" | default: \"b\"}} applies more than one filter")]
    [InlineData("{{contact.firstName | default}}", "{{contact.firstName | default}}: default takes one text in quotes, such as | default: \"there\"")]
    [InlineData("{{contact.firstName | default: 3}}", "{{contact.firstName | default: 3}}: default takes one text in quotes")]
    [InlineData("{{contact.firstName | default: contact.lastName}}", "{{contact.firstName | default: contact.lastName}}: default takes one text in quotes")]
    [InlineData("{{contact.firstName | default: 'a', allow_false: true}}", "{{contact.firstName | default: \"a\", allow_false: true}}: default takes one text in quotes")]
    public void Filters_other_than_default_with_one_text_are_refused(string body, string error)
    {
        Assert.StartsWith(error, Refused(body));
    }

    [Theory]
    [InlineData("{{contact[\"firstName\"]}}", "{{contact[\"firstName\"]}} uses an indexer")]
    [InlineData("{{contact.firstName[0]}}", "{{contact.firstName[0]}} uses an indexer")]
    [InlineData("{{ 'literal' }}", "{{\"literal\"}} is not a variable; only variables such as {{contact.firstName}} may stand between {{ and }}")]
    [InlineData("{{ 42 }}", "{{42}} is not a variable")]
    [InlineData("{{ }}", "{{\"\"}} is not a variable")]
    [InlineData("{{ contact.firstName == 'Ada' }}", "{{…}} is not a variable")]
    [InlineData("{{ (1..5) }}", "{{…}} is not a variable")]
    public void Indexers_literals_and_expressions_are_refused(string body, string error)
    {
        Assert.StartsWith(error, Refused(body));
    }

    [Theory]
    [InlineData("Hi {{contact.firstName")]
    [InlineData("Hi {{ contact. }}")]
    [InlineData("{{contact.firstName}} {%")]
    [InlineData("{{contact.firstName | default: \"unclosed}}")]
    public void A_body_that_is_not_a_template_is_refused_with_where(string body)
    {
        Assert.StartsWith("is not a valid template: ", Refused(body));
    }

    [Fact]
    public void Every_problem_of_a_body_is_reported()
    {
        BodyTemplate.Parse("{{contact.nickname}} {{contact.firstName | upcase}} {% if x %}{% endif %} {{contact.nickname}}", Variables, out var errors);

        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void A_body_holds_at_most_100_variables()
    {
        Assert.Empty(ErrorsOf(string.Concat(Enumerable.Repeat("{{contact.firstName}}", 100))));
        Assert.Equal(["holds 101 variables; at most 100 are allowed"], ErrorsOf(string.Concat(Enumerable.Repeat("{{contact.firstName}}", 101))));

        static IReadOnlyList<string> ErrorsOf(string body)
        {
            BodyTemplate.Parse(body, Variables, out var errors);
            return errors;
        }
    }

    [Fact]
    public void A_body_over_10000_characters_is_not_parsed()
    {
        Assert.Equal("is longer than 10,000 characters, too long to personalize", Refused("{{contact.firstName}}" + new string('x', 10_000)));
    }

    [Fact]
    public void The_step_limit_stops_a_render()
    {
        var template = BodyTemplate.Parse("{{contact.firstName}} {{contact.lastName}} {{contact.name}}", Variables, out var errors, new TemplateLimits(MaxSteps: 3, MaxOutputSize: 1_000));

        var result = template.Render(Values);

        Assert.Empty(errors);
        Assert.Null(result.Text);
        Assert.Empty(result.Missing);
        Assert.Equal("needs more than 3 steps to personalize", result.Problem);
    }

    [Fact]
    public void The_output_limit_stops_a_render()
    {
        var template = BodyTemplate.Parse("{{contact.name}} {{contact.name}}", Variables, out _, new TemplateLimits(MaxSteps: 1_000, MaxOutputSize: 20));

        Assert.Equal("is longer than 20 characters once personalized", template.Render(Values).Problem);
        Assert.Equal("Ada Lovelace", BodyTemplate.Parse("{{contact.name}}", Variables, out _, new TemplateLimits(1_000, 20)).Render(Values).Text);
    }

    [Fact]
    public void The_default_output_limit_is_16000_characters()
    {
        var body = string.Concat(Enumerable.Repeat("{{contact.birthday}}", 100));
        PersonalizationValues With(int length) => Values with { Contact = new Dictionary<string, string?> { ["birthday"] = new string('x', length) } };

        Assert.Equal(15_000, Valid(body).Render(With(150)).Text!.Length);
        Assert.Equal("is longer than 16,000 characters once personalized", Valid(body).Render(With(161)).Problem);
    }

    [Fact]
    public void Rendering_a_body_with_errors_is_a_programming_error()
    {
        var template = BodyTemplate.Parse("{{contact.nickname}}", Variables, out _);

        Assert.Throws<InvalidOperationException>(() => template.Render(Values));
    }

    [Fact]
    public void Plain_names_are_refused_unless_added_with_WithNames()
    {
        Assert.Equal("{{appt_date}} is not a variable; variables start with contact., user., account.", Refused("on {{appt_date}}"));

        BodyTemplate.Parse("on {{appt_date}} at {{appt_time}}", Variables.WithNames(["appt_date"]), out var errors);

        Assert.Equal(["{{appt_time}} is not a variable; variables start with contact., user., account. or are one of appt_date"], errors);
    }

    [Fact]
    public void Plain_names_render_from_the_names_values_beside_the_accounts_variables()
    {
        var template = BodyTemplate.Parse("Hi {{contact.firstName | default: \"there\"}}, see you on {{appt_date}} at {{ appt_time }}:",
            Variables.WithNames(["appt_date", "appt_time"]), out var errors);
        var noContact = Values with
        {
            Contact = new Dictionary<string, string?>(),
            Names = new Dictionary<string, string?> { ["appt_date"] = "1/1", ["appt_time"] = "12:00" },
        };

        Assert.Empty(errors);
        Assert.Equal(["contact.firstName", "appt_date", "appt_time"], template.Variables);
        Assert.Equal("Hi there, see you on 1/1 at 12:00:", template.Render(noContact).Text);
    }

    [Fact]
    public void A_missing_or_blank_plain_name_without_a_fallback_is_missing_and_with_one_renders_the_fallback()
    {
        var names = Variables.WithNames(["appt_date", "appt_time"]);
        var template = BodyTemplate.Parse("{{appt_date}} {{appt_time | default: \"noon\"}}", names, out _);

        var result = template.Render(Values with { Names = new Dictionary<string, string?> { ["appt_date"] = " " } });

        Assert.Equal(["appt_date"], result.Missing);
        Assert.Equal("1/1 noon", template.Render(Values with { Names = new Dictionary<string, string?> { ["appt_date"] = "1/1" } }).Text);
    }

    [Fact]
    public void Placeholders_list_every_output_with_its_fallback_in_order()
    {
        var template = BodyTemplate.Parse("{{appt_date}} {{contact.firstName | default: 'there'}} {{appt_date}}", Variables.WithNames(["appt_date"]), out _);

        Assert.Equal([new BodyPlaceholder("appt_date", null), new BodyPlaceholder("contact.firstName", "there"), new BodyPlaceholder("appt_date", null)],
            template.Placeholders);
    }

    [Fact]
    public void A_plain_name_with_members_is_not_the_name()
    {
        BodyTemplate.Parse("{{appt_date.day}}", Variables.WithNames(["appt_date"]), out var errors);

        Assert.StartsWith("{{appt_date.day}} is not a variable;", Assert.Single(errors));
    }

    [Fact]
    public void A_root_cannot_become_a_plain_name()
    {
        Assert.Throws<ArgumentException>(() => Variables.WithNames(["contact"]));
    }
}
