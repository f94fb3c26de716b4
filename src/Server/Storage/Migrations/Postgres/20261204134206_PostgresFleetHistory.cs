using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RoutingFlow.Server.Storage.Migrations.Postgres
{
    /// <summary>
    /// The watched routers' history (issue 27): samples, minute rollups and minute top IPs name their router (empty for
    /// this router's own, every older row); the rollups' and top IPs' keys gain it (PostgreSQL: their primary keys are replaced).
    /// </summary>
    public partial class PostgresFleetHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_wan_rollups",
                table: "wan_rollups");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ip_minutes",
                table: "ip_minutes");

            migrationBuilder.AddColumn<string>(
                name: "Router",
                table: "wan_samples",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Router",
                table: "wan_rollups",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Router",
                table: "ip_minutes",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddPrimaryKey(
                name: "PK_wan_rollups",
                table: "wan_rollups",
                columns: new[] { "Router", "Nic", "Minute" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_ip_minutes",
                table: "ip_minutes",
                columns: new[] { "Router", "Nic", "Minute", "Ip" });

            migrationBuilder.CreateIndex(
                name: "IX_wan_samples_Router_Nic_Time",
                table: "wan_samples",
                columns: new[] { "Router", "Nic", "Time" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_wan_samples_Router_Nic_Time",
                table: "wan_samples");

            migrationBuilder.DropPrimaryKey(
                name: "PK_wan_rollups",
                table: "wan_rollups");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ip_minutes",
                table: "ip_minutes");

            migrationBuilder.DropColumn(
                name: "Router",
                table: "wan_samples");

            migrationBuilder.DropColumn(
                name: "Router",
                table: "wan_rollups");

            migrationBuilder.DropColumn(
                name: "Router",
                table: "ip_minutes");

            migrationBuilder.AddPrimaryKey(
                name: "PK_wan_rollups",
                table: "wan_rollups",
                columns: new[] { "Nic", "Minute" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_ip_minutes",
                table: "ip_minutes",
                columns: new[] { "Nic", "Minute", "Ip" });
        }
    }
}
