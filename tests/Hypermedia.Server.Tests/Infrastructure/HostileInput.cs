using System.Buffers.Text;
using System.Text;

namespace Hypermedia.Server.Tests.Infrastructure;

/// <summary>Input shapes that once reached a 500, shared by the tests that pin each class and by NoServerErrorTests.</summary>
public static class HostileInput
{
    /// <summary>Tick counts a time key cannot hold; as text they are ordinary names, so text-keyed collections page from them.</summary>
    public static readonly string[] CursorTimesOutOfRange =
    [
        """["a","99999999999999999999999","1"]""", // overflows a long
        """["a","3155378976000000000","1"]""", // one past DateTimeOffset.MaxValue
        """["b","-1","1"]""",
    ];

    /// <summary>Cursor JSON as a forger would write it, [direction, sort key, row id], wrong for every collection.</summary>
    public static readonly string[] CursorForgeries =
    [
        """["a","a\u0000b","1"]""", // NUL: PostgreSQL text cannot hold it
        """["a","\ud800","1"]""", // an unpaired surrogate
        """["a","x","99999999999999999999"]""", // id overflows bigint
        """["a","638000000000000000","-5"]""",
        """["a",null,"1"]""",
        """["a","x",null]""",
        """["z","x","1"]""",
        """["a","x"]""",
        """["a",1,2]""",
        """{"a":1}""",
    ];

    public static string Cursor(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    /// <summary>Bodies with repeated fields, unstorable field names, unstorable numbers and floods of fields.</summary>
    public static readonly string[] Bodies =
    [
        """{"name":"a","name":"b"}""",
        """{"name":"a","Name":"b"}""",
        """{"phone_numbers":[],"phoneNumbers":[],"business_name":1,"businessName":2}""",
        """{"memberships":[{"account":"a","account":"b"}],"phones":[{"number":"1","number":"2"}],"data":{"tags":[],"tags":[]}}""",
        """{"\ud800":1}""",
        """{"data":{"\udc00":1},"settings":{"\ud800x":1},"description":"x"}""",
        """{"settings":{"n":1e400000},"name":1e400000,"content":1e400000,"description":-1e-400000}""",
        """{"settings":{"a":-1e-400000,"b":[1e131000,{"c":1e40}]}}""",
        "{\"settings\":{" + string.Join(',', Enumerable.Range(0, 100).Select(i => $"\"k{i}\":1e131000")) + "}}",
        "{\"settings\":{" + string.Join(',', Enumerable.Range(0, 300).Select(i => $"\"k{i}\":{i}")) + "}}",
        "{\"name\":\"x\"," + string.Join(',', Enumerable.Range(0, 100).Select(i => $"\"x_{i}\":0")) + "}",
    ];
}
