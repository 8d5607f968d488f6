using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hypermedia.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class UniqueContactPhonesAndRowVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_contact_phones_contact_id",
                table: "contact_phones");

            // xmin is a system column: the provider's SQL generator skips both operations on it.
            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "contacts",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "accounts",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            // Concurrent PUTs could store a number several times on one contact before this index
            // existed; keep the oldest row of each (contact, number, extension) so the index can be built.
            migrationBuilder.Sql("""
                DELETE FROM contact_phones AS duplicate
                USING contact_phones AS kept
                WHERE duplicate.contact_id = kept.contact_id
                  AND duplicate.phone_number = kept.phone_number
                  AND duplicate.extension IS NOT DISTINCT FROM kept.extension
                  AND duplicate.id > kept.id;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_contact_phones_contact_id_phone_number_extension",
                table: "contact_phones",
                columns: new[] { "contact_id", "phone_number", "extension" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_contact_phones_contact_id_phone_number_extension",
                table: "contact_phones");

            migrationBuilder.DropColumn(
                name: "xmin",
                table: "contacts");

            migrationBuilder.DropColumn(
                name: "xmin",
                table: "accounts");

            migrationBuilder.CreateIndex(
                name: "ix_contact_phones_contact_id",
                table: "contact_phones",
                column: "contact_id");
        }
    }
}
