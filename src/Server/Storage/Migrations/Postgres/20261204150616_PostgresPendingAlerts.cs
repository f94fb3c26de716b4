using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RoutingFlow.Server.Storage.Migrations.Postgres
{
    /// <summary>Webhook deliveries not yet sent or given up (issue 28): kept across crashes and restarts.</summary>
    public partial class PostgresPendingAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "pending_alerts",
                columns: table => new
                {
                    Key = table.Column<string>(type: "text", nullable: false),
                    Webhook = table.Column<int>(type: "integer", nullable: false),
                    UrlTag = table.Column<string>(type: "text", nullable: false),
                    Body = table.Column<string>(type: "text", nullable: false),
                    Event = table.Column<string>(type: "text", nullable: false),
                    IncidentId = table.Column<long>(type: "bigint", nullable: false),
                    FirstAttempt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pending_alerts", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_pending_alerts_FirstAttempt",
                table: "pending_alerts",
                column: "FirstAttempt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "pending_alerts");
        }
    }
}
