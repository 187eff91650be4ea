//! How much memory a loaded document takes (its JSON tree, normalized: the one model the IR reads
//! through views) and the IR built from it. A counting allocator reports the bytes live after
//! each step.
//!
//! `cargo run --release -p openapi-gen --example tree_memory -- path/to/openapi.json`

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1_000_000.0
}

fn main() {
    let path = std::env::args().nth(1).expect("a document");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = LIVE.load(Ordering::Relaxed);
    let tree = openapi_gen::load::parse_text(&text).unwrap();
    let after_tree = LIVE.load(Ordering::Relaxed);
    drop(tree);
    let document = openapi_gen::load::load_str(&text, "doc").unwrap();
    let loaded = LIVE.load(Ordering::Relaxed);
    let (api, _) = openapi_gen::ir::build(&document).unwrap();
    let with_ir = LIVE.load(Ordering::Relaxed);
    drop(document);
    let ir_only = LIVE.load(Ordering::Relaxed);
    println!("input text:             {:7.1} MB", mb(text.len()));
    println!("JSON tree:              {:7.1} MB", mb(after_tree - start));
    println!("loaded document:        {:7.1} MB (the tree, normalized)", mb(loaded - start));
    println!("IR:                     {:7.1} MB", mb(ir_only - start));
    println!("peak of the IR build >= {:7.1} MB (the document and the IR)", mb(with_ir - start));
    std::mem::forget(api);
}
