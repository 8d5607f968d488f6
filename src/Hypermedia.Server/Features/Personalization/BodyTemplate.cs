using System.Globalization;
using Fluid;
using Fluid.Ast;
using Fluid.Parser;
using Fluid.Values;

namespace Hypermedia.Server.Features.Personalization;

/// <summary>One output of a body: the variable it names ("contact.firstName", or a plain name "appt_date") and its <c>| default:</c> text, if any.</summary>
public sealed record BodyPlaceholder(string Variable, string? Fallback);

/// <summary>The bounds a render runs within (Fluid's own counters): statements executed, characters written.</summary>
internal sealed record TemplateLimits(int MaxSteps, int MaxOutputSize)
{
    /// <summary>A body of at most <see cref="BodyTemplate.MaxVariables"/> outputs runs about twice as many statements; output is far above any body's length rule.</summary>
    public static readonly TemplateLimits Default = new(MaxSteps: 1_000, MaxOutputSize: 16_000);
}

/// <summary>
/// A message body that may hold personalization variables, parsed once and checked, then rendered for each
/// recipient. The one renderer of every feature (typed bodies, saved replies, later WhatsApp templates).
/// Liquid (Fluid) parses it, but only a sliver of Liquid is accepted: text, and outputs
/// <c>{{contact.firstName}}</c> of a variable the account has (or a plain name <c>{{appt_date}}</c> the caller
/// added with <see cref="PersonalizationVariables.WithNames"/>), each with at most one
/// <c>| default: "text"</c>. Tags, other filters, indexers, literals and anything else are refused when the
/// body is parsed, so what renders can only be text and variables' values: it cannot loop, assign, include,
/// or reach any CLR member (the values are dictionaries of strings; no type is registered for member access).
/// </summary>
/// <remarks>
/// In <c>Features/</c> rather than <c>Platform/</c>: what the variables are is the business of the contact, user,
/// account and custom-field features, and the lookup reads their tables.
/// </remarks>
public sealed class BodyTemplate
{
    /// <summary>Outputs in one body: each is a variable, and each needs a value per recipient.</summary>
    public const int MaxVariables = 100;

    /// <summary>Longer bodies are not parsed; every body rule (1,600 characters for a message) is far below.</summary>
    public const int MaxBodyLength = 10_000;

    private const string DefaultFilter = "default";

    /// <summary>Thread-safe and costly to build: one for the process. Functions, parentheses and {% liquid %} are off.</summary>
    private static readonly FluidParser Parser = new(new FluidParserOptions
    {
        AllowFunctions = false,
        AllowParentheses = false,
        AllowLiquidTag = false,
        MaxRecursionDepth = 16,
    });

    private static readonly TemplateOptions DefaultOptions = OptionsFor(TemplateLimits.Default);

    /// <summary>For writing literals back in errors; never renders.</summary>
    private static readonly TemplateContext DescribeContext = new(DefaultOptions);

    private readonly string body;
    private readonly bool plain;
    private readonly IFluidTemplate? template;
    private readonly IReadOnlyList<Output> outputs;
    private readonly TemplateOptions options;

    private BodyTemplate(string body, bool plain, IFluidTemplate? template, IReadOnlyList<Output> outputs, TemplateOptions options)
    {
        this.body = body;
        this.plain = plain;
        this.template = template;
        this.outputs = outputs;
        this.options = options;
        Variables = [.. outputs.Select(o => o.Variable).Distinct()];
        Placeholders = [.. outputs.Select(o => new BodyPlaceholder(o.Variable, o.Fallback))];
    }

    /// <summary>True for a body with no <c>{{</c> and no <c>{%</c>: it renders to itself.</summary>
    public bool IsPlain => plain;

    /// <summary>The variables the body uses, each once, in order of first use: "contact.firstName", "user.calendar".</summary>
    public IReadOnlyList<string> Variables { get; }

    /// <summary>Every output in order, as written (a variable used twice is here twice), with its fallback.</summary>
    public IReadOnlyList<BodyPlaceholder> Placeholders { get; }

    /// <summary>
    /// Parses and checks a body; errors are phrases naming the problem ("{{contact.nickname}} is not a variable of this
    /// account; known: …"), empty when the body is usable. A body without any <c>{{</c> (or <c>{%</c>, which would be a
    /// Liquid tag) is a plain template that renders to itself.
    /// </summary>
    public static BodyTemplate Parse(string body, PersonalizationVariables variables, out IReadOnlyList<string> errors) =>
        Parse(body, variables, out errors, TemplateLimits.Default);

    internal static BodyTemplate Parse(string body, PersonalizationVariables variables, out IReadOnlyList<string> errors, TemplateLimits limits)
    {
        var options = limits == TemplateLimits.Default ? DefaultOptions : OptionsFor(limits);
        if (!body.Contains("{{", StringComparison.Ordinal) && !body.Contains("{%", StringComparison.Ordinal))
        {
            errors = [];
            return new BodyTemplate(body, plain: true, null, [], options);
        }

        if (body.Length > MaxBodyLength)
        {
            errors = [$"is longer than {MaxBodyLength:N0} characters, too long to personalize"];
            return new BodyTemplate(body, plain: false, null, [], options);
        }

        if (!Parser.TryParse(body, out var parsed, out var error))
        {
            // Fluid's message starts with what it expected and where ("End of tag '}}' was expected at (1:11)"), then quotes the source.
            errors = [$"is not a valid template: {error.Split('\n')[0].Trim()}; write variables as {{{{contact.firstName}}}}"];
            return new BodyTemplate(body, plain: false, null, [], options);
        }

        var found = new List<string>();
        var outputs = new List<Output>();
        foreach (var statement in ((FluidTemplate)parsed).Statements)
        {
            switch (statement)
            {
                case TextSpanStatement:
                    break;
                case OutputStatement output when Check(output.Expression, variables, found) is { } valid:
                    outputs.Add(valid);
                    break;
                case OutputStatement:
                    break;
                default:
                    found.Add($"{TagOf(statement)} is a Liquid tag; tags are not allowed, only variables such as {{{{contact.firstName}}}}");
                    break;
            }
        }

        if (outputs.Count > MaxVariables)
        {
            found.Add($"holds {outputs.Count} variables; at most {MaxVariables} are allowed");
        }

        errors = [.. found.Distinct()];
        return new BodyTemplate(body, plain: false, errors.Count == 0 ? parsed : null, outputs, options);
    }

    /// <summary>
    /// The body for one recipient. A variable whose value is missing (null or blank) renders its fallback; without
    /// one, nothing is rendered and the result lists the missing variables. Only a template parsed without errors renders.
    /// </summary>
    public RenderResult Render(PersonalizationValues values)
    {
        if (plain)
        {
            return RenderResult.Rendered(body);
        }

        if (template is null)
        {
            throw new InvalidOperationException("A body with errors cannot be rendered; check the errors of Parse first.");
        }

        var missing = outputs.Where(o => o.Fallback is null && ValueOf(values, o) is null).Select(o => o.Variable).Distinct().ToList();
        if (missing.Count > 0)
        {
            return RenderResult.Lacking(missing);
        }

        var context = new TemplateContext(options);
        foreach (var root in new[] { PersonalizationVariables.Contact, PersonalizationVariables.User, PersonalizationVariables.Account })
        {
            context.SetValue(root, Model(outputs.Where(o => o.Root == root && o.Member is not null).Select(o => o.Member!).Distinct(), member => values.Of(root, member)));
        }

        foreach (var name in outputs.Where(o => o.Member is null).Select(o => o.Root).Distinct())
        {
            // Blank is empty, so default applies, as for members.
            context.SetValue(name, StringValue.Create(values.OfName(name) ?? ""));
        }

        try
        {
            // NullEncoder: SMS text is not HTML, "Tom & Jerry <3" is sent as written.
            return RenderResult.Rendered(template.Render(context, NullEncoder.Default));
        }
        catch (InvalidOperationException e) when (e.Message.Contains("output size", StringComparison.Ordinal))
        {
            return RenderResult.Refused($"is longer than {options.MaxOutputSize:N0} characters once personalized");
        }
        catch (InvalidOperationException e) when (e.Message.Contains("steps", StringComparison.Ordinal))
        {
            return RenderResult.Refused($"needs more than {options.MaxSteps:N0} steps to personalize");
        }
    }

    private static string? ValueOf(PersonalizationValues values, Output output) =>
        output.Member is null ? values.OfName(output.Root) : values.Of(output.Root, output.Member);

    /// <summary>An object of plain strings, holding only the members the body uses (blank values are empty, so default applies).</summary>
    private static DictionaryValue Model(IEnumerable<string> members, Func<string, string?> valueOf) =>
        (DictionaryValue)DictionaryValue.Create(new FluidValueDictionaryFluidIndexable(
            members.ToDictionary(m => m, m => (FluidValue)StringValue.Create(valueOf(m) ?? ""), StringComparer.Ordinal)));

    /// <summary>
    /// Nothing of Fluid's defaults that reaches beyond the values: no filter but default (and strict filters, so another
    /// name fails instead of passing the value through), a member-access strategy with nothing registered, no file
    /// provider, invariant culture, and the step, output and recursion limits.
    /// </summary>
    private static TemplateOptions OptionsFor(TemplateLimits limits) => new TemplateOptionsBuilder()
        .WithMaxSteps(limits.MaxSteps)
        .WithMaxOutputSize(limits.MaxOutputSize)
        .WithMaxRecursion(2)
        .WithStrictFilters(true)
        .WithMemberAccessStrategy(() => new DefaultMemberAccessStrategy())
        .WithCultureInfo(CultureInfo.InvariantCulture)
        .ConfigureFilters(filters =>
        {
            foreach (var name in filters.Select(f => f.Key).Where(k => k != DefaultFilter).ToList())
            {
                filters.Remove(name);
            }
        })
        .Build();

    /// <summary>Checks one output; adds what is wrong with it to <paramref name="errors"/>, or returns it.</summary>
    private static Output? Check(Expression expression, PersonalizationVariables variables, List<string> errors)
    {
        string? fallback = null;
        var written = Describe(expression);
        if (expression is FilterExpression filter)
        {
            if (filter.Input is not MemberExpression)
            {
                errors.Add($"{{{{{written}}}}} applies more than one filter; only one | default: \"text\" is allowed");
                return null;
            }

            if (filter.Name != DefaultFilter)
            {
                errors.Add($"{{{{{written}}}}} uses the filter {filter.Name}; the only filter allowed is | default: \"text\"");
                return null;
            }

            if (filter.Parameters is not [{ Name: null or "", Expression: LiteralExpression { Value: StringValue text } }])
            {
                errors.Add($"{{{{{written}}}}}: default takes one text in quotes, such as | default: \"there\"");
                return null;
            }

            fallback = text.ToStringValue(DescribeContext);
            expression = filter.Input;
        }

        if (expression is not MemberExpression member)
        {
            errors.Add($"{{{{{written}}}}} is not a variable; only variables such as {{{{contact.firstName}}}} may stand between {{{{ and }}}}");
            return null;
        }

        if (member.Segments.Any(s => s is not IdentifierSegment))
        {
            errors.Add($"{{{{{written}}}}} uses an indexer; write variables with dots, such as {{{{contact.firstName}}}}");
            return null;
        }

        var names = member.Segments.Cast<IdentifierSegment>().Select(s => s.Identifier).ToList();
        if (names.Count == 1 && variables.IsName(names[0]))
        {
            return new Output(names[0], null, fallback);
        }

        var root = names[0];
        if (!variables.Roots.Contains(root, StringComparer.Ordinal))
        {
            errors.Add($"{{{{{written}}}}} is not a variable; variables start with {string.Join(", ", variables.Roots.Select(r => r + "."))}"
                + (variables.Names.Count > 0 ? $" or are one of {string.Join(", ", variables.Names)}" : ""));
            return null;
        }

        if (names.Count != 2 || !variables.Exists(root, names[1]))
        {
            var near = names.Count == 2 ? variables.NearMatch(root, names[1]) : null;
            errors.Add($"{{{{{string.Join('.', names)}}}}} is not a variable of this account; "
                + (near is not null ? $"did you mean {{{{{near}}}}}? " : "")
                + $"known: {string.Join(", ", variables.Known(root))}");
            return null;
        }

        return new Output(root, names[1], fallback);
    }

    /// <summary>An expression as a person would have written it, for naming it in an error.</summary>
    private static string Describe(Expression expression) => expression switch
    {
        MemberExpression member => string.Concat(member.Segments.Select((s, i) => s switch
        {
            IdentifierSegment identifier => (i == 0 ? "" : ".") + identifier.Identifier,
            IndexerSegment indexer => "[" + Describe(indexer.Expression) + "]",
            _ => "(…)",
        })),
        FilterExpression filter => Describe(filter.Input) + " | " + filter.Name
            + (filter.Parameters.Count == 0 ? "" : ": " + string.Join(", ", filter.Parameters.Select(p => (string.IsNullOrEmpty(p.Name) ? "" : p.Name + ": ") + Describe(p.Expression)))),
        LiteralExpression { Value: StringValue text } => "\"" + text.ToStringValue(DescribeContext) + "\"",
        LiteralExpression literal => literal.Value.ToStringValue(DescribeContext),
        _ => "…",
    };

    /// <summary>"{% if %}" from an IfStatement: the tag's name, lower-cased, as it is written.</summary>
    private static string TagOf(Statement statement)
    {
        var name = statement.GetType().Name;
        name = name.EndsWith("Statement", StringComparison.Ordinal) ? name[..^"Statement".Length] : name;
        return "{% " + string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())) + " %}";
    }

    /// <summary>A variable's object and member ("contact", "firstName"), or a plain name alone in <see cref="Root"/> with no member.</summary>
    private sealed record Output(string Root, string? Member, string? Fallback)
    {
        public string Variable => Member is null ? Root : Root + "." + Member;
    }
}
