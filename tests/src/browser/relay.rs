//! A relay between the browser and the application that can lose the signal, as a phone in a village does:
//! while cut, it drops every open connection and every new one, so nothing the browser asks for — its
//! service worker's requests included, which Chromium's network emulation does not reach — gets an answer.
//! Back, it passes bytes through again to the same application on the same address.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

pub(super) struct Relay {
    pub(super) address: SocketAddr,
    state: Arc<State>,
    accepting: AbortHandle,
}

#[derive(Default)]
struct State {
    cut: AtomicBool,
    open: Mutex<Vec<AbortHandle>>,
}

impl Relay {
    /// Starts a relay on a free port to the application on `port`.
    pub(super) async fn start(port: u16) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the relay");
        let address = listener.local_addr().expect("the relay's address");
        let state = Arc::new(State::default());
        let accepting = tokio::spawn(accept(listener, port, state.clone())).abort_handle();
        Relay {
            address,
            state,
            accepting,
        }
    }

    /// Cuts every connection (`true`) or passes them through again (`false`).
    pub(super) fn set_cut(&self, cut: bool) {
        self.state.cut.store(cut, Ordering::SeqCst);
        if cut {
            let open = std::mem::take(&mut *self.state.open.lock().expect("the relay's connections"));
            open.iter().for_each(AbortHandle::abort);
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.set_cut(true);
        self.accepting.abort();
    }
}

async fn accept(listener: TcpListener, port: u16, state: Arc<State>) {
    loop {
        let Ok((mut inbound, _)) = listener.accept().await else {
            continue;
        };
        if state.cut.load(Ordering::SeqCst) {
            // Dropped unanswered: the browser sees the connection close.
            continue;
        }
        let relayed = tokio::spawn(async move {
            if let Ok(mut outbound) = TcpStream::connect(("127.0.0.1", port)).await {
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            }
        });
        let mut open = state.open.lock().expect("the relay's connections");
        open.retain(|handle| !handle.is_finished());
        open.push(relayed.abort_handle());
        // Cut while this one was being let through: it goes too.
        if state.cut.load(Ordering::SeqCst) {
            open.drain(..).for_each(|handle| handle.abort());
        }
    }
}
