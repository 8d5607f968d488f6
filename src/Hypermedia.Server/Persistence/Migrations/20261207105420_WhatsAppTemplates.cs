using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Hypermedia.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class WhatsAppTemplates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // settings.whatsApp is now the account's typed WhatsApp setting, served from the columns added below;
            // a free-form key of that name (which meant nothing to the server) would be hidden by it: drop it.
            migrationBuilder.Sql("UPDATE accounts SET settings = settings - 'whatsApp' WHERE settings ? 'whatsApp';");

            migrationBuilder.AlterColumn<string>(
                name: "channel",
                table: "messages",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValueSql: "'sms'",
                oldClrType: typeof(string),
                oldType: "character varying(20)",
                oldMaxLength: 20);

            migrationBuilder.AddColumn<long>(
                name: "whats_app_template_id",
                table: "messages",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "whats_app_enabled",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "whats_app_phone_number",
                table: "accounts",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "whats_app_templates",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    slug = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    account_id = table.Column<long>(type: "bigint", nullable: false),
                    title = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    language = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    quality = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    content_sid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    content_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    content = table.Column<string>(type: "jsonb", nullable: false),
                    category = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    variables = table.Column<string>(type: "jsonb", nullable: false, defaultValueSql: "'[]'::jsonb"),
                    created_by_id = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_whats_app_templates", x => x.id);
                    table.CheckConstraint("ck_whats_app_templates_quality", "quality IN ('high', 'medium', 'low')");
                    table.CheckConstraint("ck_whats_app_templates_status", "status IN ('approved', 'pending', 'rejected')");
                    table.ForeignKey(
                        name: "fk_whats_app_templates_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_whats_app_templates_users_created_by_id",
                        column: x => x.created_by_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "ix_messages_whats_app_inbound",
                table: "messages",
                columns: new[] { "account_id", "phone_number", "created_at" },
                filter: "channel = 'whatsapp' AND direction = 'in'");

            migrationBuilder.CreateIndex(
                name: "ix_messages_whats_app_template_id",
                table: "messages",
                column: "whats_app_template_id",
                filter: "whats_app_template_id IS NOT NULL");

            migrationBuilder.AddCheckConstraint(
                name: "ck_messages_channel",
                table: "messages",
                sql: "channel IN ('sms', 'whatsapp')");

            migrationBuilder.CreateIndex(
                name: "ix_accounts_whats_app_phone_number",
                table: "accounts",
                column: "whats_app_phone_number",
                unique: true,
                filter: "whats_app_phone_number IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_whats_app_templates_account_id_title_language",
                table: "whats_app_templates",
                columns: new[] { "account_id", "title", "language" },
                unique: true,
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_whats_app_templates_created_by_id",
                table: "whats_app_templates",
                column: "created_by_id");

            migrationBuilder.CreateIndex(
                name: "ix_whats_app_templates_slug",
                table: "whats_app_templates",
                column: "slug",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_messages_whats_app_templates_whats_app_template_id",
                table: "messages",
                column: "whats_app_template_id",
                principalTable: "whats_app_templates",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_messages_whats_app_templates_whats_app_template_id",
                table: "messages");

            migrationBuilder.DropTable(
                name: "whats_app_templates");

            migrationBuilder.DropIndex(
                name: "ix_messages_whats_app_inbound",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_whats_app_template_id",
                table: "messages");

            migrationBuilder.DropCheckConstraint(
                name: "ck_messages_channel",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_accounts_whats_app_phone_number",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "whats_app_template_id",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "whats_app_enabled",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "whats_app_phone_number",
                table: "accounts");

            migrationBuilder.AlterColumn<string>(
                name: "channel",
                table: "messages",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(20)",
                oldMaxLength: 20,
                oldDefaultValueSql: "'sms'");
        }
    }
}
