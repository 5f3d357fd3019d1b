//! The catalog parser never panics: arbitrary text and random edits of the bundled catalog
//! give either a catalog or an `Error::Catalog` whose line is inside the file.

use promptyard::catalog::{Catalog, BUNDLED_TOML};
use promptyard::Error;
use proptest::prelude::*;

fn check(text: &str) -> Result<(), TestCaseError> {
    match Catalog::parse(text, "fuzz.toml") {
        Ok(c) => prop_assert!(!c.models().is_empty()),
        Err(Error::Catalog { line, field, .. }) => {
            prop_assert!(
                line <= text.lines().count() + 1,
                "line {} of {}",
                line,
                text.lines().count()
            );
            prop_assert!(!field.is_empty());
        }
        Err(e) => prop_assert!(false, "unexpected error kind: {}", e),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_text(text in "\\PC{0,400}") {
        check(&text)?;
    }

    /// Replace a random slice of the bundled catalog with random TOML-ish characters.
    #[test]
    fn edits_of_the_bundled_catalog(
        at in 0usize..BUNDLED_TOML.len(),
        len in 0usize..40,
        with in "[ a-z0-9_.=\\-\"\\[\\]{},\n]{0,20}",
    ) {
        let bytes = BUNDLED_TOML.as_bytes();
        let end = (at + len).min(bytes.len());
        let mut edited = bytes[..at].to_vec();
        edited.extend_from_slice(with.as_bytes());
        edited.extend_from_slice(&bytes[end..]);
        // The bundled catalog has non-ASCII comments; skip edits that split a character.
        if let Ok(text) = String::from_utf8(edited) {
            check(&text)?;
        }
    }
}
