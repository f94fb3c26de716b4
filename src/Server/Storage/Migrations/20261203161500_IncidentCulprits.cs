using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RoutingFlow.Server.Storage.Migrations
{
    /// <summary>Incidents record the direction that was over and their culprits (issue 24); older rows read as none and [].</summary>
    [DbContext(typeof(RoutingFlowDb))]
    [Migration("20261203161500_IncidentCulprits")]
    public partial class IncidentCulprits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "OverDirection", table: "incidents", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<string>(name: "Culprits", table: "incidents", type: "TEXT", nullable: false, defaultValue: "[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "OverDirection", table: "incidents");
            migrationBuilder.DropColumn(name: "Culprits", table: "incidents");
        }
    }
}
