//! Fuzz target `html`: see `kiemdinh_fuzz::html`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kiemdinh_fuzz::html(data));
