using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RoutingFlow.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "incidents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    Nic = table.Column<string>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Compare = table.Column<string>(type: "TEXT", nullable: false),
                    CapacityRx = table.Column<double>(type: "REAL", nullable: true),
                    CapacityTx = table.Column<double>(type: "REAL", nullable: true),
                    CapacityRxMin = table.Column<double>(type: "REAL", nullable: true),
                    CapacityRxMax = table.Column<double>(type: "REAL", nullable: true),
                    CapacityTxMin = table.Column<double>(type: "REAL", nullable: true),
                    CapacityTxMax = table.Column<double>(type: "REAL", nullable: true),
                    PeakRx = table.Column<double>(type: "REAL", nullable: false),
                    PeakTx = table.Column<double>(type: "REAL", nullable: false),
                    PeakUtilization = table.Column<double>(type: "REAL", nullable: false),
                    PeakAt = table.Column<long>(type: "INTEGER", nullable: false),
                    TopRx = table.Column<string>(type: "TEXT", nullable: false),
                    TopTx = table.Column<string>(type: "TEXT", nullable: false),
                    RttAtStart = table.Column<double>(type: "REAL", nullable: true),
                    RttAtPeak = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_incidents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ip_minutes",
                columns: table => new
                {
                    Nic = table.Column<string>(type: "TEXT", nullable: false),
                    Minute = table.Column<long>(type: "INTEGER", nullable: false),
                    Ip = table.Column<string>(type: "TEXT", nullable: false),
                    RxBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    TxBytes = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ip_minutes", x => new { x.Nic, x.Minute, x.Ip });
                });

            migrationBuilder.CreateTable(
                name: "probe_results",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Time = table.Column<long>(type: "INTEGER", nullable: false),
                    Interface = table.Column<string>(type: "TEXT", nullable: false),
                    Server = table.Column<string>(type: "TEXT", nullable: false),
                    Method = table.Column<string>(type: "TEXT", nullable: false),
                    EstimateBps = table.Column<double>(type: "REAL", nullable: true),
                    RttSeconds = table.Column<double>(type: "REAL", nullable: true),
                    TransferredBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    Failure = table.Column<string>(type: "TEXT", nullable: true),
                    Error = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_probe_results", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "settings",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", nullable: false),
                    Value = table.Column<string>(type: "TEXT", nullable: false),
                    Updated = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_settings", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "wan_rollups",
                columns: table => new
                {
                    Nic = table.Column<string>(type: "TEXT", nullable: false),
                    Minute = table.Column<long>(type: "INTEGER", nullable: false),
                    Samples = table.Column<int>(type: "INTEGER", nullable: false),
                    CapacityRxMin = table.Column<double>(type: "REAL", nullable: true),
                    CapacityRxAvg = table.Column<double>(type: "REAL", nullable: true),
                    CapacityRxMax = table.Column<double>(type: "REAL", nullable: true),
                    CapacityTxMin = table.Column<double>(type: "REAL", nullable: true),
                    CapacityTxAvg = table.Column<double>(type: "REAL", nullable: true),
                    CapacityTxMax = table.Column<double>(type: "REAL", nullable: true),
                    ActualRxMin = table.Column<double>(type: "REAL", nullable: false),
                    ActualRxAvg = table.Column<double>(type: "REAL", nullable: false),
                    ActualRxMax = table.Column<double>(type: "REAL", nullable: false),
                    ActualTxMin = table.Column<double>(type: "REAL", nullable: false),
                    ActualTxAvg = table.Column<double>(type: "REAL", nullable: false),
                    ActualTxMax = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wan_rollups", x => new { x.Nic, x.Minute });
                });

            migrationBuilder.CreateTable(
                name: "wan_samples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Nic = table.Column<string>(type: "TEXT", nullable: false),
                    Time = table.Column<long>(type: "INTEGER", nullable: false),
                    CapacityRx = table.Column<double>(type: "REAL", nullable: true),
                    CapacityTx = table.Column<double>(type: "REAL", nullable: true),
                    ActualRx = table.Column<double>(type: "REAL", nullable: false),
                    ActualTx = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wan_samples", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_incidents_Nic_StartedAt",
                table: "incidents",
                columns: new[] { "Nic", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_incidents_StartedAt",
                table: "incidents",
                column: "StartedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ip_minutes_Minute",
                table: "ip_minutes",
                column: "Minute");

            migrationBuilder.CreateIndex(
                name: "IX_probe_results_Time",
                table: "probe_results",
                column: "Time");

            migrationBuilder.CreateIndex(
                name: "IX_wan_rollups_Minute",
                table: "wan_rollups",
                column: "Minute");

            migrationBuilder.CreateIndex(
                name: "IX_wan_samples_Nic_Time",
                table: "wan_samples",
                columns: new[] { "Nic", "Time" });

            migrationBuilder.CreateIndex(
                name: "IX_wan_samples_Time",
                table: "wan_samples",
                column: "Time");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "incidents");

            migrationBuilder.DropTable(
                name: "ip_minutes");

            migrationBuilder.DropTable(
                name: "probe_results");

            migrationBuilder.DropTable(
                name: "settings");

            migrationBuilder.DropTable(
                name: "wan_rollups");

            migrationBuilder.DropTable(
                name: "wan_samples");
        }
    }
}
