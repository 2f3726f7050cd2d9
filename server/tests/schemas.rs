//! The SQLite and PostgreSQL migrations describe one schema: after migrating, both engines
//! have the same tables, the same columns with compatible types and nullability, the same
//! primary and foreign keys, and the same indexes. Runs where the suite runs on PostgreSQL
//! (`make unit-postgres`, and so `make test` and CI).

mod common;

use std::collections::BTreeSet;

/// One fact about a schema, written the same way for both engines so two sets compare.
type Facts = BTreeSet<String>;

/// A column's type family: what the application may read from it on either engine.
fn family(declared: &str) -> &'static str {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" | "smallint" | "int" | "int8" | "int4" => "integer",
        // Flags are read through `store::Flag`, which takes either.
        "boolean" | "bool" => "integer",
        "real" | "double precision" | "float8" => "real",
        "text" | "character varying" | "varchar" => "text",
        "blob" | "bytea" => "bytes",
        _ => "unknown",
    }
}

async fn sqlite_facts(db: &app::store::Db) -> Facts {
    let mut facts = Facts::new();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table'
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for table in tables {
        facts.insert(format!("table {table}"));
        let columns: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid",
        )
        .bind(&table)
        .fetch_all(db)
        .await
        .unwrap();
        let mut key = Vec::new();
        for (name, declared, not_null, pk) in &columns {
            let required = *not_null == 1 || *pk > 0;
            facts.insert(format!(
                "column {table}.{name} {} {}",
                family(declared),
                if required { "required" } else { "optional" }
            ));
            if *pk > 0 {
                key.push((*pk, name.clone()));
            }
        }
        key.sort();
        let key: Vec<String> = key.into_iter().map(|(_, name)| name).collect();
        facts.insert(format!("primary key {table}({})", key.join(",")));
        let references: Vec<(String, String, Option<String>)> =
            sqlx::query_as("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list($1)")
                .bind(&table)
                .fetch_all(db)
                .await
                .unwrap();
        for (from, other, to) in references {
            let to = to.unwrap_or_else(|| "id".into());
            facts.insert(format!("reference {table}.{from} -> {other}.{to}"));
        }
        let indexes: Vec<(String, i64, String)> =
            sqlx::query_as("SELECT name, \"unique\", origin FROM pragma_index_list($1)")
                .bind(&table)
                .fetch_all(db)
                .await
                .unwrap();
        for (index, unique, origin) in indexes {
            if origin == "pk" {
                continue;
            }
            let columns: Vec<Option<String>> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(db)
                    .await
                    .unwrap();
            facts.insert(index_fact(&table, unique == 1, columns));
        }
    }
    facts
}

async fn postgres_facts(db: &app::store::Db) -> Facts {
    let mut facts = Facts::new();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
           AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for table in tables {
        facts.insert(format!("table {table}"));
    }
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text
         FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for (table, name, declared, nullable) in columns {
        facts.insert(format!(
            "column {table}.{name} {} {}",
            family(&declared),
            if nullable == "NO" {
                "required"
            } else {
                "optional"
            }
        ));
    }
    let references: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT t.relname::text, a.attname::text, f.relname::text, fa.attname::text
         FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid
         JOIN pg_class f ON f.oid = c.confrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
         JOIN LATERAL unnest(c.conkey, c.confkey) AS k(attnum, fattnum) ON TRUE
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
         JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = k.fattnum
         WHERE c.contype = 'f'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for (table, from, other, to) in references {
        facts.insert(format!("reference {table}.{from} -> {other}.{to}"));
    }
    // Each index with its columns in order; an expression is "<expression>".
    let indexes: Vec<(String, bool, bool, String)> = sqlx::query_as(
        "SELECT t.relname::text, ix.indisunique, ix.indisprimary,
                array_to_string(ARRAY(
                    SELECT COALESCE(a.attname::text, '<expression>')
                    FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
                    LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                    ORDER BY k.position), ',')
         FROM pg_index ix
         JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
         WHERE t.relname <> '_sqlx_migrations'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for (table, unique, primary, columns) in indexes {
        let columns: Vec<Option<String>> = columns
            .split(',')
            .map(|c| (c != "<expression>").then(|| c.to_string()))
            .collect();
        if primary {
            let names: Vec<String> = columns.into_iter().flatten().collect();
            facts.insert(format!("primary key {table}({})", names.join(",")));
        } else {
            facts.insert(index_fact(&table, unique, columns));
        }
    }
    facts
}

fn index_fact(table: &str, unique: bool, columns: Vec<Option<String>>) -> String {
    let columns: Vec<String> = columns
        .into_iter()
        .map(|c| c.unwrap_or_else(|| "<expression>".into()))
        .collect();
    format!(
        "{} {table}({})",
        if unique { "unique index" } else { "index" },
        columns.join(",")
    )
}

#[tokio::test]
async fn sqlite_and_postgresql_have_the_same_schema_after_migrating() {
    let Some(_) = common::postgres() else {
        eprintln!("skipped: the suite runs on SQLite alone (make unit-postgres compares both)");
        return;
    };
    let dir = common::fresh_dir("schemas").await;
    let postgres = app::store::open(&common::database_url(&dir), false)
        .await
        .expect("PostgreSQL migrates");
    let sqlite = app::store::open(
        &format!("sqlite://{}", dir.join("schema.db").display()),
        false,
    )
    .await
    .expect("SQLite migrates");
    let (lite, post) = (sqlite_facts(&sqlite).await, postgres_facts(&postgres).await);
    for kind in [
        "table ",
        "column ",
        "primary key ",
        "reference ",
        "unique index ",
        "index ",
    ] {
        let (a, b) = (
            lite.iter().filter(|f| f.starts_with(kind)).count(),
            post.iter().filter(|f| f.starts_with(kind)).count(),
        );
        eprintln!("{kind}: {a} in SQLite, {b} in PostgreSQL");
        assert!(a > 0 && b > 0, "no {kind}facts were read");
    }
    assert!(
        lite.iter().all(|fact| !fact.contains("unknown")),
        "a column of a type with no family: {lite:#?}"
    );
    let only_sqlite: Vec<&String> = lite.difference(&post).collect();
    let only_postgres: Vec<&String> = post.difference(&lite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the schemas differ.\nOnly in SQLite: {only_sqlite:#?}\nOnly in PostgreSQL: {only_postgres:#?}"
    );
}
