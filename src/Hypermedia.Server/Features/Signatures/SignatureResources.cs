using System.ComponentModel;
using Hypermedia.JsonLd;
using Hypermedia.Server.Features.Users;
using Hypermedia.Server.Platform.Http;
using Hypermedia.Server.Platform.Hydra;

namespace Hypermedia.Server.Features.Signatures;

[HydraClass("Signature", "Text appended to the bodies a user sends while their settings.appendSignature is on.")]
public sealed class SignatureResource() : Resource("Signature")
{
    [Description("The text appended, after a line break, 1 to 255 characters; may hold personalization variables")]
    public required string Content { get; init; }

    [Description("Whose signature it is")]
    public required string User { get; init; }

    [Description("When it was created")]
    public required DateTimeOffset CreatedAt { get; init; }

    [Description("When it last changed")]
    public required DateTimeOffset UpdatedAt { get; init; }

    public static SignatureResource Of(Signature signature, string userSlug, Iris iris) => new()
    {
        Id = iris.For(SignaturesApi.SignatureRoute, new { id = userSlug }),
        Content = signature.Content,
        User = iris.For(UsersApi.UserRoute, new { id = userSlug }),
        CreatedAt = signature.CreatedAt,
        UpdatedAt = signature.UpdatedAt,
    };
}

/// <summary><c>POST</c> and <c>PUT /users/{id}/signature</c>.</summary>
[Writes<SignatureResource>]
public sealed record SignatureRequest([property: RequiredToCreate] string? Content);
