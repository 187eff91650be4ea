//! Date-times, dates and times of the `time` crate as RFC 3339 text (feature `time`).
//!
//! `time`'s own serde impls do not write RFC 3339: `OffsetDateTime` serializes as a tuple, or
//! with `serde-human-readable` as `2024-05-01 10:00:00.0 +00:00:00`. Its adapter modules
//! (`#[serde(with = "time::serde::rfc3339")]`) serve one field of exactly that type, not a
//! `Vec`, a map value or a query parameter. [`Rfc3339`] is a value that serializes as RFC 3339
//! wherever it is, so generated types hold `Rfc3339<time::OffsetDateTime>` and you reach the
//! `time` value through `Deref`, `.0` or `into_inner`.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::BorrowedFormatItem;
use time::format_description::well_known::Rfc3339 as Rfc3339Format;
use time::macros::format_description;
use time::{Date, OffsetDateTime, Time};

/// A `time` value written and read as RFC 3339 text: `2024-05-01T10:00:00Z` for an
/// [`OffsetDateTime`], `2024-05-01` for a [`Date`] (`full-date`), `10:00:00` or
/// `10:00:00.250` for a [`Time`] (`partial-time`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rfc3339<T>(pub T);

impl<T> Rfc3339<T> {
    /// The `time` value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Rfc3339<T> {
    fn from(value: T) -> Self {
        Rfc3339(value)
    }
}

impl<T> Deref for Rfc3339<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// The `time` types RFC 3339 has text for.
pub trait Rfc3339Text: Sized + sealed::Sealed {
    /// The RFC 3339 text of the value.
    fn to_rfc3339(&self) -> Result<String, time::error::Format>;
    /// The value the RFC 3339 text stands for.
    fn from_rfc3339(text: &str) -> Result<Self, time::error::Parse>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for time::OffsetDateTime {}
    impl Sealed for time::Date {}
    impl Sealed for time::Time {}
}

/// `full-date`.
const DATE: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");
/// `partial-time`, written with a fraction only when there is one.
const TIME: &[BorrowedFormatItem<'static>] = format_description!("[hour]:[minute]:[second]");
const TIME_WITH_FRACTION: &[BorrowedFormatItem<'static>] = format_description!("[hour]:[minute]:[second].[subsecond]");
const TIME_TO_READ: &[BorrowedFormatItem<'static>] =
    format_description!("[hour]:[minute]:[second][optional [.[subsecond]]]");

impl Rfc3339Text for OffsetDateTime {
    fn to_rfc3339(&self) -> Result<String, time::error::Format> {
        self.format(&Rfc3339Format)
    }

    fn from_rfc3339(text: &str) -> Result<Self, time::error::Parse> {
        OffsetDateTime::parse(text, &Rfc3339Format)
    }
}

impl Rfc3339Text for Date {
    fn to_rfc3339(&self) -> Result<String, time::error::Format> {
        self.format(DATE)
    }

    fn from_rfc3339(text: &str) -> Result<Self, time::error::Parse> {
        Date::parse(text, DATE)
    }
}

impl Rfc3339Text for Time {
    fn to_rfc3339(&self) -> Result<String, time::error::Format> {
        if self.nanosecond() == 0 { self.format(TIME) } else { self.format(TIME_WITH_FRACTION) }
    }

    fn from_rfc3339(text: &str) -> Result<Self, time::error::Parse> {
        Time::parse(text, TIME_TO_READ)
    }
}

impl<T: Rfc3339Text> fmt::Display for Rfc3339<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339().map_err(|_| fmt::Error)?)
    }
}

impl<T: Rfc3339Text> fmt::Debug for Rfc3339<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.to_rfc3339() {
            Ok(text) => write!(f, "Rfc3339({text})"),
            Err(_) => f.write_str("Rfc3339(<not representable>)"),
        }
    }
}

impl<T: Rfc3339Text> FromStr for Rfc3339<T> {
    type Err = time::error::Parse;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        T::from_rfc3339(text).map(Rfc3339)
    }
}

impl<T: Rfc3339Text> Serialize for Rfc3339<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.0.to_rfc3339().map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

impl<'de, T: Rfc3339Text> Deserialize<'de> for Rfc3339<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        T::from_rfc3339(&text).map(Rfc3339).map_err(|err| serde::de::Error::custom(format!("{err}: {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime, time};

    #[test]
    fn values_go_out_as_rfc_3339_and_come_back() {
        let instant = Rfc3339(datetime!(2024-05-01 10:00:00.5 +02:00));
        assert_eq!(serde_json::to_string(&instant).unwrap(), "\"2024-05-01T10:00:00.5+02:00\"");
        assert_eq!(serde_json::from_str::<Rfc3339<OffsetDateTime>>("\"2024-05-01T08:00:00.5Z\"").unwrap(), instant);
        assert_eq!(serde_json::to_string(&Rfc3339(date!(2024 - 05 - 01))).unwrap(), "\"2024-05-01\"");
        assert_eq!(Rfc3339(time!(10:00)).to_string(), "10:00:00");
        assert_eq!(Rfc3339(time!(10:00:00.25)).to_string(), "10:00:00.25");
        assert_eq!("10:00:00".parse::<Rfc3339<Time>>().unwrap(), Rfc3339(time!(10:00)));
        assert_eq!("10:00:00.250".parse::<Rfc3339<Time>>().unwrap(), Rfc3339(time!(10:00:00.25)));
        let list: Vec<Rfc3339<Date>> = serde_json::from_str("[\"2024-01-31\", \"2024-02-29\"]").unwrap();
        assert_eq!(list[1].month(), time::Month::February, "Deref reaches the time value");
    }

    #[test]
    fn text_that_is_not_rfc_3339_is_an_error_that_shows_it() {
        let err = serde_json::from_str::<Rfc3339<OffsetDateTime>>("\"2024-05-01 10:00\"").unwrap_err();
        assert!(err.to_string().contains("\"2024-05-01 10:00\""), "{err}");
        assert!(serde_json::from_str::<Rfc3339<Date>>("\"2024-02-30\"").is_err());
    }
}
