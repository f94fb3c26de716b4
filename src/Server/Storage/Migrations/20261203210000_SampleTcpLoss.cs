using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RoutingFlow.Server.Storage.Migrations
{
    /// <summary>Per-second samples keep the WAN's TCP data, missing and retransmitted segment counts, the loss a diagnosis compares (issue 25); older rows have none.</summary>
    [DbContext(typeof(RoutingFlowDb))]
    [Migration("20261203210000_SampleTcpLoss")]
    public partial class SampleTcpLoss : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(name: "TcpSegments", table: "wan_samples", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<long>(name: "TcpMissing", table: "wan_samples", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<long>(name: "TcpRetransmitted", table: "wan_samples", type: "INTEGER", nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "TcpSegments", table: "wan_samples");
            migrationBuilder.DropColumn(name: "TcpMissing", table: "wan_samples");
            migrationBuilder.DropColumn(name: "TcpRetransmitted", table: "wan_samples");
        }
    }
}
