using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Hypermedia.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Conversations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "account_phone_number",
                table: "messages",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "carrier",
                table: "messages",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "carrier_message_id",
                table: "messages",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "channel",
                table: "messages",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "conversation_id",
                table: "messages",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "delivery_state",
                table: "messages",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "dispatch_started_at",
                table: "messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "failure_reason",
                table: "messages",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "flags",
                table: "messages",
                type: "text[]",
                nullable: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "latest_event_at",
                table: "messages",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<long>(
                name: "sender_id",
                table: "messages",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "source",
                table: "messages",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "timeline_position",
                table: "messages",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<bool>(
                name: "messaging_restricted",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "conversations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    slug = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    account_id = table.Column<long>(type: "bigint", nullable: false),
                    phone_number = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    account_phone_number = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    state = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    assigned_contact_id = table.Column<long>(type: "bigint", nullable: true),
                    latest_activity_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    message_count = table.Column<int>(type: "integer", nullable: false),
                    latest_inbound_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversations", x => x.id);
                    table.ForeignKey(
                        name: "fk_conversations_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_conversations_contacts_assigned_contact_id",
                        column: x => x.assigned_contact_id,
                        principalTable: "contacts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "conversation_assignments",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    slug = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    conversation_id = table.Column<long>(type: "bigint", nullable: false),
                    assignee_id = table.Column<long>(type: "bigint", nullable: false),
                    assigner_id = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversation_assignments", x => x.id);
                    table.ForeignKey(
                        name: "fk_conversation_assignments_conversations_conversation_id",
                        column: x => x.conversation_id,
                        principalTable: "conversations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_conversation_assignments_users_assignee_id",
                        column: x => x.assignee_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_conversation_assignments_users_assigner_id",
                        column: x => x.assigner_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "conversation_user_states",
                columns: table => new
                {
                    conversation_id = table.Column<long>(type: "bigint", nullable: false),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    read = table.Column<bool>(type: "boolean", nullable: false),
                    read_to_timeline_position = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    starred = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversation_user_states", x => new { x.conversation_id, x.user_id });
                    table.ForeignKey(
                        name: "fk_conversation_user_states_conversations_conversation_id",
                        column: x => x.conversation_id,
                        principalTable: "conversations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_conversation_user_states_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_messages_carrier_carrier_message_id",
                table: "messages",
                columns: new[] { "carrier", "carrier_message_id" },
                unique: true,
                filter: "carrier_message_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_messages_conversation_id_timeline_position_id",
                table: "messages",
                columns: new[] { "conversation_id", "timeline_position", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_messages_queued",
                table: "messages",
                column: "latest_event_at",
                filter: "delivery_state = 'queued'");

            migrationBuilder.CreateIndex(
                name: "ix_messages_sender_id",
                table: "messages",
                column: "sender_id");

            migrationBuilder.CreateIndex(
                name: "ix_conversation_assignments_assignee_id",
                table: "conversation_assignments",
                column: "assignee_id");

            migrationBuilder.CreateIndex(
                name: "ix_conversation_assignments_assigner_id",
                table: "conversation_assignments",
                column: "assigner_id");

            migrationBuilder.CreateIndex(
                name: "ix_conversation_assignments_conversation_id_assignee_id",
                table: "conversation_assignments",
                columns: new[] { "conversation_id", "assignee_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_conversation_assignments_slug",
                table: "conversation_assignments",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_conversation_user_states_user_id",
                table: "conversation_user_states",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_conversations_account_id_latest_activity_at_id",
                table: "conversations",
                columns: new[] { "account_id", "latest_activity_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_account_id_phone_number",
                table: "conversations",
                columns: new[] { "account_id", "phone_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_conversations_assigned_contact_id",
                table: "conversations",
                column: "assigned_contact_id");

            migrationBuilder.CreateIndex(
                name: "ix_conversations_slug",
                table: "conversations",
                column: "slug",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_messages_conversations_conversation_id",
                table: "messages",
                column: "conversation_id",
                principalTable: "conversations",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_messages_users_sender_id",
                table: "messages",
                column: "sender_id",
                principalTable: "users",
                principalColumn: "id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_messages_conversations_conversation_id",
                table: "messages");

            migrationBuilder.DropForeignKey(
                name: "fk_messages_users_sender_id",
                table: "messages");

            migrationBuilder.DropTable(
                name: "conversation_assignments");

            migrationBuilder.DropTable(
                name: "conversation_user_states");

            migrationBuilder.DropTable(
                name: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_messages_carrier_carrier_message_id",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_conversation_id_timeline_position_id",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_queued",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_sender_id",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "account_phone_number",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "carrier",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "carrier_message_id",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "channel",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "conversation_id",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "delivery_state",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "dispatch_started_at",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "failure_reason",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "flags",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "latest_event_at",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "sender_id",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "source",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "timeline_position",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "messaging_restricted",
                table: "accounts");
        }
    }
}
