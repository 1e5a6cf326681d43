//! Fuzz target `scenario`: see `kiemdinh_fuzz::scenario`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kiemdinh_fuzz::scenario(data));
