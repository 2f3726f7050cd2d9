//! The hostile-input suite: what an attacker tried against Hexplan, with a data owner's or a
//! Portfolio Holder's account or with none, each kept here so no later change reopens it.
//! Every case asserts what the person sees (a clear message), that nothing was written, and
//! that the server still answers. It runs on SQLite and again on PostgreSQL.

#[path = "../common/mod.rs"]
mod common;

mod held;
mod live;
mod markup;
mod operator;
mod plan;
mod requests;
mod sign_in;
mod uploads;
mod workbook;
