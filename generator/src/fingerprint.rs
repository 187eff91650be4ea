//! Fingerprints: of a description and of settings (FNV-1a), of a generated crate's files (a word
//! at a time, [`WordFingerprint`]). Not a cryptographic hash: they tell "changed" from "the
//! same", for the drift report and to tell a hand edit.

/// 64 bits of FNV-1a, in hex.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut hasher = Fingerprint::default();
    hasher.update(bytes);
    hasher.hex()
}

/// FNV-1a over bytes written to it (a document's JSON, as it is serialized).
#[derive(Debug, Clone, Copy)]
pub struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(0xcbf2_9ce4_8422_2325)
    }
}

impl Fingerprint {
    /// Adds `bytes`.
    pub fn update(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// The fingerprint so far, in hex.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

impl std::io::Write for Fingerprint {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A fingerprint that takes eight bytes a step: the same guarantee as FNV-1a (each step is a
/// bijection of the state for a given input, so changing one word of the input always changes the
/// result), at a fraction of its cost on megabytes of generated code, which `generate` reads
/// back and fingerprints on every run over an earlier output.
#[derive(Debug, Clone)]
pub struct WordFingerprint {
    state: u64,
    /// Bytes of a word not yet complete.
    pending: [u8; 8],
    pending_len: usize,
    len: u64,
}

/// An odd multiplier (the 64-bit golden ratio), so that multiplying is a bijection.
const WORD_MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

impl Default for WordFingerprint {
    fn default() -> Self {
        WordFingerprint { state: 0xcbf2_9ce4_8422_2325, pending: [0; 8], pending_len: 0, len: 0 }
    }
}

impl WordFingerprint {
    fn mix(&mut self, word: u64) {
        self.state = (self.state ^ word).wrapping_mul(WORD_MULTIPLIER).rotate_left(29);
    }

    /// Adds `bytes`; adding them in pieces gives what adding them at once gives.
    pub fn update(&mut self, mut bytes: &[u8]) {
        self.len = self.len.wrapping_add(bytes.len() as u64);
        if self.pending_len > 0 {
            let take = bytes.len().min(8 - self.pending_len);
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&bytes[..take]);
            self.pending_len += take;
            bytes = &bytes[take..];
            if self.pending_len < 8 {
                return;
            }
            self.mix(u64::from_le_bytes(self.pending));
            self.pending_len = 0;
        }
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.mix(u64::from_le_bytes(word.try_into().expect("a chunk of eight bytes")));
        }
        let rest = words.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
    }

    /// The fingerprint so far, in hex: the last bytes and the length mixed in, then the bits
    /// spread by a final avalanche.
    pub fn hex(&self) -> String {
        let mut last = self.clone();
        let mut tail = [0u8; 8];
        tail[..last.pending_len].copy_from_slice(&last.pending[..last.pending_len]);
        last.mix(u64::from_le_bytes(tail));
        last.mix(last.len);
        let mut x = last.state;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        format!("{x:016x}")
    }
}

#[cfg(test)]
mod tests {
    use super::WordFingerprint;

    fn of(pieces: &[&[u8]]) -> String {
        let mut hasher = WordFingerprint::default();
        for piece in pieces {
            hasher.update(piece);
        }
        hasher.hex()
    }

    #[test]
    fn pieces_give_what_the_whole_gives() {
        let text = b"pub struct Pet {\n    pub name: String,\n}\n";
        let whole = of(&[text]);
        for split in 0..text.len() {
            assert_eq!(of(&[&text[..split], &text[split..]]), whole, "split at {split}");
        }
        assert_eq!(of(&[&text[..3], &text[3..5], &text[5..20], &text[20..]]), whole);
    }

    #[test]
    fn one_byte_changed_added_or_removed_changes_it() {
        let text = b"pub struct Pet {\n    pub name: String,\n}\n".to_vec();
        let whole = of(&[&text]);
        for at in 0..text.len() {
            let mut changed = text.clone();
            changed[at] ^= 1;
            assert_ne!(of(&[&changed]), whole, "byte {at} changed");
            let mut removed = text.clone();
            removed.remove(at);
            assert_ne!(of(&[&removed]), whole, "byte {at} removed");
        }
        assert_ne!(of(&[&text, b"\0"]), whole, "a zero byte added");
        assert_ne!(of(&[b""]), of(&[b"\0"]), "the empty input and one zero byte");
    }
}
