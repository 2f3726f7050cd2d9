//! `sqlx::migrate!` embeds the migrations in the binary: build again when one is added or
//! changed, not only when Rust code changes.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
    // The demonstration plan's sheets are embedded too.
    println!("cargo:rerun-if-changed=demo");
}
