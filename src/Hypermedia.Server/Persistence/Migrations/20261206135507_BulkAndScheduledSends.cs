using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Hypermedia.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class BulkAndScheduledSends : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "bulk_send_id",
                table: "messages",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "scheduled_at",
                table: "messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "scheduled_job_id",
                table: "messages",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "bulk_sends",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    slug = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    account_id = table.Column<long>(type: "bigint", nullable: false),
                    sender_id = table.Column<long>(type: "bigint", nullable: false),
                    account_phone_number = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    scheduled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    total_count = table.Column<int>(type: "integer", nullable: false),
                    sent_count = table.Column<int>(type: "integer", nullable: false),
                    skipped_count = table.Column<int>(type: "integer", nullable: false),
                    cancelled_count = table.Column<int>(type: "integer", nullable: false),
                    job_ids = table.Column<List<string>>(type: "text[]", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    latest_event_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bulk_sends", x => x.id);
                    table.CheckConstraint("ck_bulk_sends_state", "state IN ('scheduled', 'queued', 'sending', 'completed', 'cancelled')");
                    table.ForeignKey(
                        name: "fk_bulk_sends_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_bulk_sends_users_sender_id",
                        column: x => x.sender_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "bulk_send_recipients",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    bulk_send_id = table.Column<long>(type: "bigint", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    phone_number = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    message_id = table.Column<long>(type: "bigint", nullable: true),
                    processed_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bulk_send_recipients", x => x.id);
                    table.CheckConstraint("ck_bulk_send_recipients_state", "state IN ('pending', 'sent', 'skipped', 'cancelled')");
                    table.ForeignKey(
                        name: "fk_bulk_send_recipients_bulk_sends_bulk_send_id",
                        column: x => x.bulk_send_id,
                        principalTable: "bulk_sends",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_bulk_send_recipients_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "messages",
                        principalColumn: "id");
                });

            migrationBuilder.CreateIndex(
                name: "ix_messages_bulk_send_id_phone_number",
                table: "messages",
                columns: new[] { "bulk_send_id", "phone_number" },
                unique: true,
                filter: "bulk_send_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_messages_scheduled",
                table: "messages",
                column: "scheduled_at",
                filter: "delivery_state = 'scheduled'");

            migrationBuilder.CreateIndex(
                name: "ix_bulk_send_recipients_bulk_send_id_phone_number",
                table: "bulk_send_recipients",
                columns: new[] { "bulk_send_id", "phone_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_bulk_send_recipients_bulk_send_id_position",
                table: "bulk_send_recipients",
                columns: new[] { "bulk_send_id", "position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_bulk_send_recipients_message_id",
                table: "bulk_send_recipients",
                column: "message_id");

            migrationBuilder.CreateIndex(
                name: "ix_bulk_sends_account_id_created_at_id",
                table: "bulk_sends",
                columns: new[] { "account_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_bulk_sends_sender_id",
                table: "bulk_sends",
                column: "sender_id");

            migrationBuilder.CreateIndex(
                name: "ix_bulk_sends_slug",
                table: "bulk_sends",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_bulk_sends_unfinished",
                table: "bulk_sends",
                column: "latest_event_at",
                filter: "state IN ('queued', 'sending')");

            migrationBuilder.AddForeignKey(
                name: "fk_messages_bulk_sends_bulk_send_id",
                table: "messages",
                column: "bulk_send_id",
                principalTable: "bulk_sends",
                principalColumn: "id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_messages_bulk_sends_bulk_send_id",
                table: "messages");

            migrationBuilder.DropTable(
                name: "bulk_send_recipients");

            migrationBuilder.DropTable(
                name: "bulk_sends");

            migrationBuilder.DropIndex(
                name: "ix_messages_bulk_send_id_phone_number",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_scheduled",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "bulk_send_id",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "scheduled_at",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "scheduled_job_id",
                table: "messages");
        }
    }
}
