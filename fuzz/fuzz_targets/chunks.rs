//! Pseudo-random chunk lengths for feeding decoders piecewise (shared by the fuzz targets).

/// Chunk lengths from a seed (xorshift), biased towards tiny pieces: a quarter are one byte,
/// a quarter up to `small`, the rest up to `large`.
pub struct Chunks {
    state: u32,
    small: usize,
    large: usize,
}

impl Chunks {
    pub fn new(seed: u32, small: usize, large: usize) -> Chunks {
        Chunks {
            state: seed | 1,
            small,
            large,
        }
    }

    pub fn next_len(&mut self) -> usize {
        let mut x = self.state;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.state = x;
        match x % 4 {
            0 => 1,
            1 => (x >> 8) as usize % self.small + 1,
            _ => (x >> 8) as usize % self.large + 1,
        }
    }
}
