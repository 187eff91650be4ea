//! FNV-1a fingerprints: of a description, of settings, of a generated crate's files. Not a
//! cryptographic hash: they tell "changed" from "the same", for the drift report.

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
