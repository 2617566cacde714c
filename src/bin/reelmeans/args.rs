//! The command line's tokens and the [`Flags`] each command parses.
//!
//! lexopt rather than clap: every command is a struct that takes only its
//! own flags, and the errors are the project's sentences ("cluster does not
//! take --title"), which the tests and scripts rely on; lexopt adds no
//! dependencies and a few KB.

use crate::error::CliError;
use lexopt::prelude::*;
use std::ffi::OsString;
use std::path::PathBuf;

/// A command line's flag or positional argument, owned, so the parser
/// can be asked for the flag's value.
pub(crate) enum Token {
    /// A flag: its long name, and how it was written (`-o` or `--out`).
    Flag(String, String),
    Value(OsString),
}

pub(crate) fn next(p: &mut lexopt::Parser) -> Result<Option<Token>, CliError> {
    let short = |c: char, long: &str| Token::Flag(long.into(), format!("-{c}"));
    Ok(match p.next()? {
        None => None,
        Some(Short(c @ 'k')) => Some(short(c, "k")),
        Some(Short(c @ 'n')) => Some(short(c, "n")),
        Some(Short(c @ 'o')) => Some(short(c, "out")),
        Some(Short(c @ 'h')) => Some(short(c, "help")),
        Some(Short(c @ 'V')) => Some(short(c, "version")),
        Some(Short(c)) => Some(short(c, &c.to_string())),
        Some(Long(name)) => Some(Token::Flag(name.to_string(), format!("--{name}"))),
        Some(Value(v)) => Some(Token::Value(v)),
    })
}

pub(crate) fn text(p: &mut lexopt::Parser) -> Result<String, CliError> {
    Ok(p.value()?.string()?)
}

pub(crate) fn path(p: &mut lexopt::Parser) -> Result<PathBuf, CliError> {
    Ok(p.value()?.into())
}

pub(crate) fn number<T: std::str::FromStr>(
    p: &mut lexopt::Parser,
    flag: &str,
) -> Result<T, CliError> {
    let text = text(p)?;
    Ok(text
        .parse()
        .map_err(|_| format!("--{flag} expects a number, got '{text}'"))?)
}

/// What a command's parser does with one flag: take it (`Ok(true)`) or
/// leave it to say the command does not take it (`Ok(false)`).
pub(crate) trait Flags {
    fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, CliError>;
    fn positional(&mut self, value: OsString) -> Result<(), CliError>;
}

/// Reads the rest of the command line into `args`.
pub(crate) fn parse_into<T: Flags>(
    command: &str,
    mut args: T,
    p: &mut lexopt::Parser,
) -> Result<Option<T>, CliError> {
    while let Some(token) = next(p)? {
        match token {
            Token::Flag(name, _) if name == "help" => return Ok(None),
            Token::Flag(name, written) => {
                if !args.flag(&name, p)? {
                    return Err(format!(
                        "{command} does not take {written} (see reelmeans --help)"
                    )
                    .into());
                }
            }
            Token::Value(v) => args.positional(v)?,
        }
    }
    Ok(Some(args))
}

pub(crate) fn one_input(slot: &mut Option<PathBuf>, value: OsString) -> Result<(), CliError> {
    if slot.is_some() {
        return Err(format!("unexpected argument '{}'", value.to_string_lossy()).into());
    }
    *slot = Some(value.into());
    Ok(())
}
