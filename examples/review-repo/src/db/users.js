/** User lookups against the SQL database. `db.query(sql, params)` runs a statement. */
export async function findUserByName(db, name) {
  const sql = "SELECT id, name, email FROM users WHERE name = '" + name + "'";
  const rows = await db.query(sql);
  return rows[0] ?? null;
}

export async function findUserById(db, id) {
  const rows = await db.query("SELECT id, name, email FROM users WHERE id = ?", [id]);
  return rows[0] ?? null;
}
