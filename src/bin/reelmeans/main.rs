//! `reelmeans`: the recommender core on the command line, for batch work and
//! benchmarks. One module per command, each a struct that parses only the
//! flags it takes (as ripgrep's flags do): a flag a command does not use is
//! an error, never silently ignored.

#[cfg(not(target_arch = "wasm32"))]
mod args;
#[cfg(not(target_arch = "wasm32"))]
mod cli;
#[cfg(not(target_arch = "wasm32"))]
mod cluster;
#[cfg(not(target_arch = "wasm32"))]
mod elbow;
#[cfg(not(target_arch = "wasm32"))]
mod error;
#[cfg(not(target_arch = "wasm32"))]
mod evaluate;
#[cfg(not(target_arch = "wasm32"))]
mod features;
#[cfg(not(target_arch = "wasm32"))]
mod inputs;
#[cfg(not(target_arch = "wasm32"))]
mod parse;
#[cfg(not(target_arch = "wasm32"))]
mod prepare;
#[cfg(not(target_arch = "wasm32"))]
mod recommend;
#[cfg(not(target_arch = "wasm32"))]
mod roles;
#[cfg(not(target_arch = "wasm32"))]
mod spec;
#[cfg(not(target_arch = "wasm32"))]
mod users;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    if let Err(message) = cli::run(std::env::args_os().skip(1).collect()) {
        eprintln!("reelmeans: {message}");
        std::process::exit(2);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
