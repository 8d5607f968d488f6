using System.Text.Json.Nodes;
using Hypermedia.Server.Platform.Errors;
using Hypermedia.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Hypermedia.Server.Tests.Platform.Errors;

/// <summary>A database of its own for raising real PostgreSQL errors; no schema is needed.</summary>
public sealed class ScratchDatabase : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync() => ConnectionString = await TestDatabase.CreateDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// The last line against races: whatever a handler did not turn into a refusal itself, a PostgreSQL error
/// that a concurrent write causes becomes a 409 the client may retry; any other database error stays a 500.
/// </summary>
public sealed class DatabaseConflictsTests(ScratchDatabase database) : IClassFixture<ScratchDatabase>
{
    private const string Retry = "Another request changed the same data at the same moment; read it again and retry.";

    private async Task<PostgresException> RaiseAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
    }

    /// <summary>What the error middleware answers when a handler fails with <paramref name="failure"/>.</summary>
    private static async Task<(int Status, JsonNode Problem)> AnswerAsync(Exception failure)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/acct/contacts";
        context.Response.Body = new MemoryStream();
        var middleware = new ErrorHandlingMiddleware(_ => throw failure, NullLogger<ErrorHandlingMiddleware>.Instance);

        await middleware.InvokeAsync(context);

        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, JsonNode.Parse(context.Response.Body)!);
    }

    [Theory]
    [InlineData("23505", "CREATE TEMP TABLE t (k int PRIMARY KEY); INSERT INTO t VALUES (1), (1);")]
    [InlineData("23503", "CREATE TEMP TABLE p (k int PRIMARY KEY); CREATE TEMP TABLE c (p int REFERENCES p); INSERT INTO c VALUES (1);")]
    [InlineData("40001", "DO $$ BEGIN RAISE EXCEPTION 'serialization' USING ERRCODE = 'serialization_failure'; END $$;")]
    [InlineData("40P01", "DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = 'deadlock_detected'; END $$;")]
    public async Task A_write_that_loses_a_race_is_409_asking_to_retry(string sqlState, string sql)
    {
        var error = await RaiseAsync(sql);

        var (status, problem) = await AnswerAsync(error);

        Assert.Equal(sqlState, error.SqlState);
        Assert.Equal(409, status);
        Assert.Equal("hydra:Error", (string?)problem["@type"]);
        Assert.Equal("https://hypermedia.dev/problems/conflict", (string?)problem["type"]);
        Assert.Equal(409, (int?)problem["status"]);
        Assert.Equal(Retry, (string?)problem["detail"]);
        Assert.Equal("/acct/contacts", (string?)problem["instance"]);
    }

    [Fact]
    public async Task A_unique_violation_inside_entity_frameworks_save_exception_is_409()
    {
        var error = await RaiseAsync("CREATE TEMP TABLE t (k int PRIMARY KEY); INSERT INTO t VALUES (1), (1);");

        var (status, problem) = await AnswerAsync(new DbUpdateException("An error occurred while saving the entity changes.", error));

        Assert.Equal(409, status);
        Assert.Equal(Retry, (string?)problem["detail"]);
    }

    [Fact]
    public async Task A_row_changed_between_read_and_write_is_409()
    {
        var (status, problem) = await AnswerAsync(new DbUpdateConcurrencyException("The row's concurrency token no longer matched."));

        Assert.Equal(409, status);
        Assert.Equal(Retry, (string?)problem["detail"]);
    }

    [Theory]
    [InlineData("23502", "CREATE TEMP TABLE t (k int NOT NULL); INSERT INTO t VALUES (NULL);")]
    [InlineData("23514", "CREATE TEMP TABLE t (k int CHECK (k > 0)); INSERT INTO t VALUES (0);")]
    [InlineData("22P02", "SELECT 'x'::int;")]
    [InlineData("42P01", "SELECT * FROM no_such_table;")]
    public async Task Any_other_database_error_is_a_500_that_reveals_nothing(string sqlState, string sql)
    {
        var error = await RaiseAsync(sql);

        var (status, problem) = await AnswerAsync(error);

        Assert.Equal(sqlState, error.SqlState);
        Assert.Equal(500, status);
        Assert.Equal("The server failed to handle the request; it has been logged.", (string?)problem["detail"]);
        Assert.DoesNotContain(sqlState, problem.ToJsonString(), StringComparison.Ordinal);
    }
}
