//! The Register of state registration of regulatory legal acts (order 246, appendix 2) kept
//! as a journal: each act gets the next number of its body's sequence, entries are never
//! changed or removed (amendments, suspensions, invalidations and court cancellations are
//! new entries that refer to earlier numbers), and a hash chain makes any later change
//! visible.
//!
//! - [`model`]: entries, bodies, registration numbers, references;
//! - [`store`]: the interface to the database ([`store::Store`]) and the rules of appending;
//! - [`chain`]: canonical content, hashes, and the check of the whole journal;
//! - [`sqlite`]: the embedded store;
//! - [`postgres`]: the shared store, a PostgreSQL database;
//! - [`location`]: a file or a `postgres://` URL, and the store it names;
//! - [`documents`]: act files in, the conclusion, the stamp and the register out;
//! - [`ops`]: the operations (add, amend, suspend, invalidate, cancel by court, verify,
//!   export), one call each for the command line and the service.

pub mod chain;
pub mod documents;
pub mod location;
pub mod model;
pub mod ops;
pub mod postgres;
pub mod sqlite;
pub mod store;

pub use location::Location;
pub use model::{Body, CourtDecision, Entry, Kind, Month, NewEntry, Reference, RegNumber, Relation};
pub use ops::{OpError, Registrar};
pub use postgres::PgStore;
pub use sqlite::SqliteStore;
pub use store::{AppendOptions, Register, RegisterError, Store, append, read, verify};
