using System.Net;

namespace Hypermedia.Server.Platform.Dashboard;

/// <summary>The dashboard's own two small pages, sign-in and sign-out, in the product's name.</summary>
public static class SignInPage
{
    public static string Form(string? antiforgeryToken, string returnUrl, string? error) => Page("Sign in", $"""
        <p>The jobs dashboard is for Hypermedia support staff. Paste your API token; a staff operator gives staff access
        (<code>staff grant</code> on the server, or <code>PUT /staff/{"{id}"}</code> with the user's id).</p>
        {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{Encode(error)}</p>")}
        <form method="post" action="sign-in">
          <input type="hidden" name="{StaffDashboard.AntiforgeryField}" value="{Encode(antiforgeryToken)}">
          <input type="hidden" name="returnUrl" value="{Encode(returnUrl)}">
          <label for="token">Staff API token</label>
          <input id="token" name="token" type="password" autocomplete="off" required autofocus>
          <button type="submit">Sign in</button>
        </form>
        """);

    public static string SignOut(string? antiforgeryToken) => Page("Sign out", $"""
        <p>End this browser's dashboard session. Your API token keeps working.</p>
        <form method="post" action="sign-out">
          <input type="hidden" name="{StaffDashboard.AntiforgeryField}" value="{Encode(antiforgeryToken)}">
          <button type="submit">Sign out</button>
        </form>
        """);

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string Page(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{{title}} – {{StaffDashboard.Title}}</title>
          <style>
            body { font-family: system-ui, sans-serif; background: #f4f5f7; color: #1f2933; margin: 0; }
            header { background: #1f2933; color: #fff; padding: 12px 24px; font-weight: 600; }
            main { max-width: 28rem; margin: 48px auto; background: #fff; padding: 24px 32px; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
            label { display: block; font-weight: 600; margin: 16px 0 6px; }
            input[type=password] { width: 100%; box-sizing: border-box; padding: 8px; font-family: monospace; }
            button { margin-top: 16px; padding: 8px 20px; background: #2563eb; color: #fff; border: 0; border-radius: 4px; font-size: 1rem; cursor: pointer; }
            .error { color: #b91c1c; font-weight: 600; }
          </style>
        </head>
        <body>
          <header>{{StaffDashboard.Title}}</header>
          <main>
            <h1>{{title}}</h1>
            {{body}}
          </main>
        </body>
        </html>
        """;
}
