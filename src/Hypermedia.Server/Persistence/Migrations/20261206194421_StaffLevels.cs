using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hypermedia.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class StaffLevels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "staff_level",
                table: "users",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            // Staff had the powers an operator has now.
            migrationBuilder.Sql("UPDATE users SET staff_level = 'operator' WHERE is_staff;");

            migrationBuilder.DropColumn(
                name: "is_staff",
                table: "users");

            migrationBuilder.AddCheckConstraint(
                name: "ck_users_staff_level",
                table: "users",
                sql: "staff_level IN ('viewer', 'operator')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_users_staff_level",
                table: "users");

            migrationBuilder.AddColumn<bool>(
                name: "is_staff",
                table: "users",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.Sql("UPDATE users SET is_staff = staff_level = 'operator';");

            migrationBuilder.DropColumn(
                name: "staff_level",
                table: "users");
        }
    }
}
