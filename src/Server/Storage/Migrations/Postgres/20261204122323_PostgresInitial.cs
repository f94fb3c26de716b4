using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace RoutingFlow.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PostgresInitial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Time = table.Column<long>(type: "bigint", nullable: false),
                    Nic = table.Column<string>(type: "text", nullable: true),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    OldValue = table.Column<double>(type: "double precision", nullable: true),
                    NewValue = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "incidents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    Nic = table.Column<string>(type: "text", nullable: false),
                    Router = table.Column<string>(type: "text", nullable: false),
                    StartedAt = table.Column<long>(type: "bigint", nullable: false),
                    EndedAt = table.Column<long>(type: "bigint", nullable: true),
                    Compare = table.Column<string>(type: "text", nullable: false),
                    CapacityRx = table.Column<double>(type: "double precision", nullable: true),
                    CapacityTx = table.Column<double>(type: "double precision", nullable: true),
                    CapacityRxMin = table.Column<double>(type: "double precision", nullable: true),
                    CapacityRxMax = table.Column<double>(type: "double precision", nullable: true),
                    CapacityTxMin = table.Column<double>(type: "double precision", nullable: true),
                    CapacityTxMax = table.Column<double>(type: "double precision", nullable: true),
                    PeakRx = table.Column<double>(type: "double precision", nullable: false),
                    PeakTx = table.Column<double>(type: "double precision", nullable: false),
                    PeakUtilization = table.Column<double>(type: "double precision", nullable: false),
                    PeakAt = table.Column<long>(type: "bigint", nullable: false),
                    TopRx = table.Column<string>(type: "text", nullable: false),
                    TopTx = table.Column<string>(type: "text", nullable: false),
                    OverDirection = table.Column<string>(type: "text", nullable: true),
                    Culprits = table.Column<string>(type: "text", nullable: false),
                    Diagnosis = table.Column<string>(type: "text", nullable: true),
                    Advice = table.Column<string>(type: "text", nullable: true),
                    RttAtStart = table.Column<double>(type: "double precision", nullable: true),
                    RttAtPeak = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_incidents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ip_minutes",
                columns: table => new
                {
                    Nic = table.Column<string>(type: "text", nullable: false),
                    Minute = table.Column<long>(type: "bigint", nullable: false),
                    Ip = table.Column<string>(type: "text", nullable: false),
                    RxBytes = table.Column<long>(type: "bigint", nullable: false),
                    TxBytes = table.Column<long>(type: "bigint", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ip_minutes", x => new { x.Nic, x.Minute, x.Ip });
                });

            migrationBuilder.CreateTable(
                name: "probe_results",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Time = table.Column<long>(type: "bigint", nullable: false),
                    Interface = table.Column<string>(type: "text", nullable: false),
                    Server = table.Column<string>(type: "text", nullable: false),
                    Method = table.Column<string>(type: "text", nullable: false),
                    EstimateBps = table.Column<double>(type: "double precision", nullable: true),
                    RttSeconds = table.Column<double>(type: "double precision", nullable: true),
                    TransferredBytes = table.Column<long>(type: "bigint", nullable: false),
                    Failure = table.Column<string>(type: "text", nullable: true),
                    Error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_probe_results", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "settings",
                columns: table => new
                {
                    Key = table.Column<string>(type: "text", nullable: false),
                    Value = table.Column<string>(type: "text", nullable: false),
                    Updated = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_settings", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "wan_rollups",
                columns: table => new
                {
                    Nic = table.Column<string>(type: "text", nullable: false),
                    Minute = table.Column<long>(type: "bigint", nullable: false),
                    Samples = table.Column<int>(type: "integer", nullable: false),
                    CapacityRxMin = table.Column<double>(type: "double precision", nullable: true),
                    CapacityRxAvg = table.Column<double>(type: "double precision", nullable: true),
                    CapacityRxMax = table.Column<double>(type: "double precision", nullable: true),
                    CapacityTxMin = table.Column<double>(type: "double precision", nullable: true),
                    CapacityTxAvg = table.Column<double>(type: "double precision", nullable: true),
                    CapacityTxMax = table.Column<double>(type: "double precision", nullable: true),
                    ActualRxMin = table.Column<double>(type: "double precision", nullable: false),
                    ActualRxAvg = table.Column<double>(type: "double precision", nullable: false),
                    ActualRxMax = table.Column<double>(type: "double precision", nullable: false),
                    ActualTxMin = table.Column<double>(type: "double precision", nullable: false),
                    ActualTxAvg = table.Column<double>(type: "double precision", nullable: false),
                    ActualTxMax = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wan_rollups", x => new { x.Nic, x.Minute });
                });

            migrationBuilder.CreateTable(
                name: "wan_samples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Nic = table.Column<string>(type: "text", nullable: false),
                    Time = table.Column<long>(type: "bigint", nullable: false),
                    CapacityRx = table.Column<double>(type: "double precision", nullable: true),
                    CapacityTx = table.Column<double>(type: "double precision", nullable: true),
                    ActualRx = table.Column<double>(type: "double precision", nullable: false),
                    ActualTx = table.Column<double>(type: "double precision", nullable: false),
                    TcpSegments = table.Column<long>(type: "bigint", nullable: true),
                    TcpMissing = table.Column<long>(type: "bigint", nullable: true),
                    TcpRetransmitted = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wan_samples", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_events_Time",
                table: "events",
                column: "Time");

            migrationBuilder.CreateIndex(
                name: "IX_incidents_Nic_StartedAt",
                table: "incidents",
                columns: new[] { "Nic", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_incidents_Router_StartedAt",
                table: "incidents",
                columns: new[] { "Router", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_incidents_StartedAt",
                table: "incidents",
                column: "StartedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ip_minutes_Ip_Minute",
                table: "ip_minutes",
                columns: new[] { "Ip", "Minute" });

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
                name: "events");

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
