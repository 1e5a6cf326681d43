//! Fuzz target `rejudge`: see `kiemdinh_fuzz::rejudge`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kiemdinh_fuzz::rejudge(data));
