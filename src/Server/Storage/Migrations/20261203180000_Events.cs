using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RoutingFlow.Server.Storage.Migrations
{
    /// <summary>
    /// Operator changes that explain a step in the history, such as a new correction factor, and the name each busy
    /// IP had in its minute, indexed by IP for the host pages (issue 24).
    /// </summary>
    [DbContext(typeof(RoutingFlowDb))]
    [Migration("20261203180000_Events")]
    public partial class Events : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Time = table.Column<long>(type: "INTEGER", nullable: false),
                    Nic = table.Column<string>(type: "TEXT", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", nullable: false),
                    Text = table.Column<string>(type: "TEXT", nullable: false),
                    OldValue = table.Column<double>(type: "REAL", nullable: true),
                    NewValue = table.Column<double>(type: "REAL", nullable: true),
                },
                constraints: table => table.PrimaryKey("PK_events", x => x.Id));
            migrationBuilder.CreateIndex(name: "IX_events_Time", table: "events", column: "Time");
            migrationBuilder.AddColumn<string>(name: "Name", table: "ip_minutes", type: "TEXT", nullable: true);
            migrationBuilder.CreateIndex(name: "IX_ip_minutes_Ip_Minute", table: "ip_minutes", columns: ["Ip", "Minute"]);
            // A database that already holds probes: its capacity history steps up here (goodput before, wire bits after).
            migrationBuilder.Sql("""
                INSERT INTO events (Time, Nic, Kind, Text)
                SELECT CAST(strftime('%s', 'now') AS INTEGER) * 1000, NULL, 'units',
                       'capacity estimates are in wire bits from here on (about 4.6% above the goodput before, IPv4 on a 1500-byte MTU); a correction factor set before was set against goodput'
                WHERE EXISTS (SELECT 1 FROM probe_results);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "events");
            migrationBuilder.DropIndex(name: "IX_ip_minutes_Ip_Minute", table: "ip_minutes");
            migrationBuilder.DropColumn(name: "Name", table: "ip_minutes");
        }
    }
}
