using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RoutingFlow.Server.Storage.Migrations
{
    /// <summary>Incidents name their router (issue 27): empty for this router's own (every older row), the fleet's router label for a watched one.</summary>
    [DbContext(typeof(RoutingFlowDb))]
    [Migration("20261204120000_IncidentRouter")]
    public partial class IncidentRouter : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "Router", table: "incidents", type: "TEXT", nullable: false, defaultValue: "");
            migrationBuilder.CreateIndex(name: "IX_incidents_Router_StartedAt", table: "incidents", columns: ["Router", "StartedAt"]);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_incidents_Router_StartedAt", table: "incidents");
            migrationBuilder.DropColumn(name: "Router", table: "incidents");
        }
    }
}
