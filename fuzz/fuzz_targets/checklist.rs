//! Fuzz target `checklist`: see `kiemdinh_fuzz::checklist`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kiemdinh_fuzz::checklist(data));
