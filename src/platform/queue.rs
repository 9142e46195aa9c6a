//! Hàng chờ — an ordered async line: whoever asks for a turn first gets it
//! first, and holds it until its [`Turn`] is dropped. Used where work must
//! not overlap and must keep its order: pages made one at a time in the
//! worker (memory), dropped files read one batch at a time, and autosaves
//! written one at a time (an older save must never land after a newer one).
//!
//! Built on JS promises, so it needs no timer and never polls: each turn
//! waits on the promise of the turn asked for just before it. A waiter
//! dropped before its turn (a cancelled future) lets the next one through
//! once the turn before it is done, so one abandoned wait never stalls the
//! line.

use js_sys::{Array, Function, Promise};
use std::cell::RefCell;
use std::future::Future;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// A line of turns (FIFO).
#[derive(Default)]
pub struct Line {
    /// Settles when the last turn asked for is over.
    last: RefCell<Option<Promise>>,
}

/// One place in a [`Line`]: the next in line starts when it is dropped
/// (also on an early return or a `?`).
pub struct Turn(Function);

impl Drop for Turn {
    fn drop(&mut self) {
        let _ = self.0.call0(&JsValue::NULL);
    }
}

impl Line {
    pub const fn new() -> Line {
        Line { last: RefCell::new(None) }
    }

    /// Takes a place in the line now (the order is the order of calls, not
    /// of awaits) and resolves when every turn before it is over. The
    /// future does not borrow the line, so it can come out of a
    /// `thread_local!`.
    pub fn turn(&self) -> impl Future<Output = Turn> {
        let mut release = None;
        let gate = Promise::new(&mut |resolve, _| release = Some(resolve));
        // Made now: a wait dropped early releases its place too.
        let turn = Turn(release.expect("Promise runs its executor at once"));
        let before = self.last.borrow_mut().take();
        // The next turn waits for this one and for every one before it.
        let mine = match &before {
            Some(before) => Promise::all(&Array::of2(before, &gate)),
            None => gate,
        };
        *self.last.borrow_mut() = Some(mine);
        async move {
            if let Some(before) = before {
                // Never rejected: only resolved by a dropped Turn.
                let _ = JsFuture::from(before).await;
            }
            turn
        }
    }

    /// Resolves once every turn asked for so far is over ("wait for the
    /// writes already started").
    pub async fn idle(&self) {
        drop(self.turn().await);
    }
}
