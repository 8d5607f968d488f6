using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hypermedia.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class BulkSendAcceptedRecipients : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "bulk_send_accepted_recipients",
                columns: table => new
                {
                    bulk_send_id = table.Column<long>(type: "bigint", nullable: false),
                    numbers = table.Column<string[]>(type: "text[]", nullable: false),
                    positions = table.Column<int[]>(type: "integer[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bulk_send_accepted_recipients", x => x.bulk_send_id);
                    table.ForeignKey(
                        name: "fk_bulk_send_accepted_recipients_bulk_sends_bulk_send_id",
                        column: x => x.bulk_send_id,
                        principalTable: "bulk_sends",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "bulk_send_accepted_recipients");
        }
    }
}
