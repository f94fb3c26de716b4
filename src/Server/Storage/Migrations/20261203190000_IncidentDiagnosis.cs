using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RoutingFlow.Server.Storage.Migrations
{
    /// <summary>Incidents keep their diagnosis and the rebalancing plan made while open (issue 25) as JSON; older rows have none.</summary>
    [DbContext(typeof(RoutingFlowDb))]
    [Migration("20261203190000_IncidentDiagnosis")]
    public partial class IncidentDiagnosis : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "Diagnosis", table: "incidents", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<string>(name: "Advice", table: "incidents", type: "TEXT", nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "Diagnosis", table: "incidents");
            migrationBuilder.DropColumn(name: "Advice", table: "incidents");
        }
    }
}
