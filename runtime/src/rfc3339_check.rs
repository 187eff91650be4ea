//! Refuses, before a request is sent, a date or date-time that RFC 3339 cannot write.
//!
//! RFC 3339 has four-digit years, 0000 to 9999. `chrono` writes a year outside them in ISO 8601's
//! expanded form (`9999-12-31T23:59:59.999-14:00` held in UTC is `+10000-01-01T13:59:59.999Z`),
//! which a server refuses or, worse, reads as something else. Date and time types serialize
//! through `Serializer::collect_str` (their `Display`), never through `serialize_str` as strings
//! of the API do, so this walks a request's value once and looks only at what `collect_str`
//! writes: a text that starts with a signed year (`+10000-`, `-0001-`) is such a date.

use std::fmt;

use serde::Serialize;
use serde::ser;

/// Why the walk stopped: a date RFC 3339 cannot write, or an error of a value's own `Serialize`
/// (which is not this check's to report: serializing the value for real reports it).
#[derive(Debug)]
pub(crate) enum Refused {
    Date,
    Other(String),
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::Date => f.write_str(REFUSAL),
            Refused::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Refused {}

impl ser::Error for Refused {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Refused::Other(message.to_string())
    }
}

/// `Err` with the reason when `value` holds a date or date-time with a year RFC 3339 cannot
/// write; `Ok` otherwise (a value that cannot be serialized at all fails later, where it is).
pub(crate) fn check<T: Serialize + ?Sized>(value: &T) -> Result<(), String> {
    match value.serialize(Checker) {
        Err(Refused::Date) => Err(REFUSAL.to_owned()),
        _ => Ok(()),
    }
}

const REFUSAL: &str = "a date or date-time has a year outside 0000-9999, which RFC 3339 cannot write";

/// Whether `text` starts with an ISO 8601 expanded year: a sign, four or more digits, `-`.
fn is_expanded_year(text: &str) -> bool {
    let Some(rest) = text.strip_prefix(['+', '-']) else { return false };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    digits >= 4 && rest.as_bytes().get(digits) == Some(&b'-')
}

/// A serializer that writes nothing and refuses dates RFC 3339 cannot write.
struct Checker;

macro_rules! accept {
    ($( $method:ident($ty:ty) ),* $(,)?) => {
        $( fn $method(self, _: $ty) -> Result<(), Refused> { Ok(()) } )*
    };
}

impl ser::Serializer for Checker {
    type Ok = ();
    type Error = Refused;
    type SerializeSeq = Checker;
    type SerializeTuple = Checker;
    type SerializeTupleStruct = Checker;
    type SerializeTupleVariant = Checker;
    type SerializeMap = Checker;
    type SerializeStruct = Checker;
    type SerializeStructVariant = Checker;

    accept!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_unit_struct(&'static str),
    );

    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<(), Refused> {
        if is_expanded_year(&value.to_string()) {
            return Err(Refused::Date);
        }
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Refused> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Refused> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Refused> {
        Ok(())
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Refused> {
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Refused> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Refused> {
        value.serialize(self)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Checker, Refused> {
        Ok(Checker)
    }

    fn serialize_tuple(self, _: usize) -> Result<Checker, Refused> {
        Ok(Checker)
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Checker, Refused> {
        Ok(Checker)
    }

    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Checker, Refused> {
        Ok(Checker)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Checker, Refused> {
        Ok(Checker)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Checker, Refused> {
        Ok(Checker)
    }

    fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Checker, Refused> {
        Ok(Checker)
    }
}

/// The elements, entries and fields of compound values, each checked in turn.
macro_rules! compound {
    ($( $trait:ident { $( fn $method:ident($( $arg:ident: $ty:ty ),*); )* } )*) => {
        $(
            impl ser::$trait for Checker {
                type Ok = ();
                type Error = Refused;
                $(
                    fn $method<T: Serialize + ?Sized>(&mut self, $( $arg: $ty, )* value: &T) -> Result<(), Refused> {
                        $( let _ = $arg; )*
                        value.serialize(Checker)
                    }
                )*
                fn end(self) -> Result<(), Refused> {
                    Ok(())
                }
            }
        )*
    };
}

compound! {
    SerializeSeq { fn serialize_element(); }
    SerializeTuple { fn serialize_element(); }
    SerializeTupleStruct { fn serialize_field(); }
    SerializeTupleVariant { fn serialize_field(); }
    SerializeMap { fn serialize_key(); fn serialize_value(); }
    SerializeStruct { fn serialize_field(key: &'static str); }
    SerializeStructVariant { fn serialize_field(key: &'static str); }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// A stand-in for a date type: serialized through `collect_str`, as chrono's and jiff's are.
    struct Date(&'static str);

    impl Serialize for Date {
        fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_str(self.0)
        }
    }

    #[test]
    fn only_dates_with_expanded_years_are_refused_wherever_they_are() {
        assert!(check(&Date("9999-12-31T23:59:59.999-14:00")).is_ok());
        assert!(check(&Date("+10000-01-01T13:59:59.999Z")).is_err());
        assert!(check(&vec![Date("2024-01-01"), Date("-0001-12-31")]).is_err());
        let nested = BTreeMap::from([("at", Some(vec![Date("+10000-01-01")]))]);
        assert!(check(&nested).unwrap_err().contains("outside 0000-9999"));
        // A string of the API that looks like one is the API's business, not a date of ours.
        assert!(check("+10000-01-01T00:00:00Z").is_ok());
        assert!(check(&Date("-1234.5")).is_ok());
    }
}
