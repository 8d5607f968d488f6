using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hypermedia.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class WhatsAppSends : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "template_values",
                table: "messages",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "channel",
                table: "bulk_sends",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValueSql: "'sms'");

            migrationBuilder.AddColumn<string>(
                name: "template_values",
                table: "bulk_sends",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "whats_app_template_id",
                table: "bulk_sends",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_bulk_sends_whats_app_template_id",
                table: "bulk_sends",
                column: "whats_app_template_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_bulk_sends_channel",
                table: "bulk_sends",
                sql: "channel IN ('sms', 'whatsapp')");

            migrationBuilder.AddForeignKey(
                name: "fk_bulk_sends_whats_app_templates_whats_app_template_id",
                table: "bulk_sends",
                column: "whats_app_template_id",
                principalTable: "whats_app_templates",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_bulk_sends_whats_app_templates_whats_app_template_id",
                table: "bulk_sends");

            migrationBuilder.DropIndex(
                name: "ix_bulk_sends_whats_app_template_id",
                table: "bulk_sends");

            migrationBuilder.DropCheckConstraint(
                name: "ck_bulk_sends_channel",
                table: "bulk_sends");

            migrationBuilder.DropColumn(
                name: "template_values",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "channel",
                table: "bulk_sends");

            migrationBuilder.DropColumn(
                name: "template_values",
                table: "bulk_sends");

            migrationBuilder.DropColumn(
                name: "whats_app_template_id",
                table: "bulk_sends");
        }
    }
}
