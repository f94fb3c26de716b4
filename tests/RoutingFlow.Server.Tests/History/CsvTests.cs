using RoutingFlow.Server.History;

namespace RoutingFlow.Server.Tests.History;

public class CsvTests
{
    [Theory]
    [InlineData("nas.lab", "nas.lab")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")] // a name off the wire is not a formula
    [InlineData("+1", "'+1")]
    [InlineData("-cmd", "'-cmd")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("", "")]
    public void Field_QuotesWhatNeedsIt_AndDisarmsFormulas(string text, string expected) => Assert.Equal(expected, Csv.Field(text));
}
