//! The token holder: hands out valid access tokens to every caller, refreshing before expiry,
//! one refresh at a time, through whichever generated client it was given ([`TokenEndpoint`]).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::device::{DeviceApp, DeviceTokenEndpoint};
use super::oauth::{OAuthApp, Tokens};
use super::secret::SecretString;
use super::token::{TokenError, TokenFuture, TokenProvider};

type RefreshCallback = Arc<dyn Fn(&Tokens) + Send + Sync>;

/// Why storing rotated tokens failed: the store's own error.
pub type StoreError = Box<dyn std::error::Error + Send + Sync>;

/// A future that stores tokens.
pub type StoreFuture = Pin<Box<dyn Future<Output = Result<(), StoreError>> + Send>>;

type StoreCallback = Arc<dyn Fn(Tokens) -> StoreFuture + Send + Sync>;

/// A future of new tokens.
pub type TokensFuture<'a> = Pin<Box<dyn Future<Output = Result<Tokens, TokenError>> + Send + 'a>>;

/// What a [`TokenHolder`] refreshes through: the generated client, whose `refresh_access_token`
/// sends the API's token request for the flow `F`.
pub trait TokenEndpoint<F>: Send + Sync + 'static {
    /// New tokens for `refresh_token`, asked for as `app`.
    fn refresh<'a>(&'a self, app: &'a OAuthApp<F>, refresh_token: &'a SecretString) -> TokensFuture<'a>;
}

/// A client and the app it refreshes for, whatever API they belong to: the holder is one type
/// for every generated client.
trait Refresher: Send + Sync {
    fn refresh<'a>(&'a self, refresh_token: &'a SecretString) -> TokensFuture<'a>;
    fn app(&self) -> &dyn fmt::Debug;
}

struct AppRefresher<C, F> {
    client: C,
    app: OAuthApp<F>,
}

impl<C: TokenEndpoint<F>, F: 'static> Refresher for AppRefresher<C, F> {
    fn refresh<'a>(&'a self, refresh_token: &'a SecretString) -> TokensFuture<'a> {
        self.client.refresh(&self.app, refresh_token)
    }

    fn app(&self) -> &dyn fmt::Debug {
        &self.app
    }
}

/// A client and the device app it refreshes for (the device authorization flow, RFC 8628).
struct DeviceRefresher<C> {
    client: C,
    app: DeviceApp,
}

impl<C: DeviceTokenEndpoint> Refresher for DeviceRefresher<C> {
    fn refresh<'a>(&'a self, refresh_token: &'a SecretString) -> TokensFuture<'a> {
        self.client.refresh_device_tokens(&self.app, refresh_token)
    }

    fn app(&self) -> &dyn fmt::Debug {
        &self.app
    }
}

/// Holds a user's tokens for a long-running service and hands out valid access tokens: it
/// refreshes before the access token expires (with a safety margin), runs one refresh at a time
/// while concurrent callers wait for its result, gives every new refresh token to your callback
/// so that you can store it, and reports a refused refresh as
/// [`TokenError::ReauthorizationRequired`].
///
/// Cheap to clone; clones share the tokens. Give it to a client with the builder's token-holder
/// method of the OAuth scheme, and every call carries a fresh bearer token.
#[derive(Clone)]
pub struct TokenHolder {
    inner: Arc<HolderInner>,
}

struct HolderInner {
    /// The client the refresh goes through (its token operation takes no credentials) and the app.
    refresher: Box<dyn Refresher>,
    margin: Duration,
    on_refresh: Option<RefreshCallback>,
    store: Option<StoreCallback>,
    /// Counts finished refreshes, so a caller that waited for one can tell it happened.
    refreshes: AtomicU64,
    state: tokio::sync::Mutex<HolderState>,
}

struct HolderState {
    tokens: Tokens,
    /// The failure of the last refresh, with the refresh count it ended.
    last_failure: Option<(u64, TokenError)>,
    /// A refusal: no more refreshes until new tokens are set.
    revoked: Option<TokenError>,
    /// The tokens of the last refresh could not be stored: the store is tried again before the
    /// next access token is handed out.
    unstored: bool,
}

impl TokenHolder {
    /// A holder of `tokens` that refreshes them through `client` for `app`.
    pub fn builder<C: TokenEndpoint<F>, F: 'static>(client: C, app: OAuthApp<F>, tokens: Tokens) -> TokenHolderBuilder {
        TokenHolderBuilder {
            refresher: Box::new(AppRefresher { client, app }),
            tokens,
            margin: Duration::from_secs(60),
            on_refresh: None,
            store: None,
        }
    }

    /// A holder of `tokens` from the device authorization flow that refreshes them through
    /// `client` for the device `app`.
    pub fn device_builder<C: DeviceTokenEndpoint>(client: C, app: DeviceApp, tokens: Tokens) -> TokenHolderBuilder {
        TokenHolderBuilder {
            refresher: Box::new(DeviceRefresher { client, app }),
            tokens,
            margin: Duration::from_secs(60),
            on_refresh: None,
            store: None,
        }
    }

    /// An access token that is valid for at least the safety margin, refreshing first if needed.
    pub async fn access_token(&self) -> Result<SecretString, TokenError> {
        let seen = self.inner.refreshes.load(Ordering::Acquire);
        let mut state = self.inner.state.lock().await;
        if let Some(err) = &state.revoked {
            return Err(err.clone());
        }
        if state.unstored {
            let tokens = state.tokens.clone();
            self.store(&mut state, tokens).await;
        }
        if let Some((ended, err)) = &state.last_failure {
            // A refresh we waited for failed: share its result instead of trying again at once.
            if *ended > seen {
                return Err(err.clone());
            }
        }
        if !state.tokens.expires_within(self.inner.margin) {
            return Ok(state.tokens.access_token.clone());
        }
        self.refresh_locked(&mut state).await.map(|tokens| tokens.access_token)
    }

    /// Refreshes now, whatever the expiry says.
    pub async fn refresh(&self) -> Result<Tokens, TokenError> {
        let mut state = self.inner.state.lock().await;
        if let Some(err) = &state.revoked {
            return Err(err.clone());
        }
        self.refresh_locked(&mut state).await
    }

    /// The tokens held now.
    pub async fn tokens(&self) -> Tokens {
        self.inner.state.lock().await.tokens.clone()
    }

    /// Replaces the tokens, after the user authorized the app again, say.
    pub async fn set_tokens(&self, tokens: Tokens) {
        let mut state = self.inner.state.lock().await;
        state.tokens = tokens;
        state.revoked = None;
        state.last_failure = None;
        state.unstored = false;
    }

    async fn refresh_locked(&self, state: &mut HolderState) -> Result<Tokens, TokenError> {
        let result = match state.tokens.refresh_token.clone() {
            None => Err(TokenError::NoRefreshToken),
            Some(refresh_token) => self.inner.refresher.refresh(&refresh_token).await,
        };
        let ended = self.inner.refreshes.fetch_add(1, Ordering::AcqRel) + 1;
        match result {
            Ok(mut tokens) => {
                if tokens.refresh_token.is_none() {
                    tokens.refresh_token = state.tokens.refresh_token.take();
                }
                if let Some(on_refresh) = &self.inner.on_refresh {
                    on_refresh(&tokens);
                }
                state.tokens = tokens.clone();
                state.last_failure = None;
                self.store(state, tokens.clone()).await;
                Ok(tokens)
            }
            Err(err) => {
                if err.requires_reauthorization() {
                    state.revoked = Some(err.clone());
                }
                state.last_failure = Some((ended, err.clone()));
                Err(err)
            }
        }
    }
}

impl TokenHolder {
    /// Hands `tokens` to the async store, if there is one; a failure is remembered, so that the
    /// store is tried again before the next access token is handed out.
    async fn store(&self, state: &mut HolderState, tokens: Tokens) {
        let Some(store) = &self.inner.store else { return };
        match store(tokens).await {
            Ok(()) => state.unstored = false,
            Err(_err) => {
                state.unstored = true;
                #[cfg(feature = "tracing")]
                tracing::warn!(error = %_err, "storing the refreshed OAuth tokens failed; trying again on the next call");
            }
        }
    }

    /// Whether the tokens of the last refresh are not stored yet, because the async store
    /// ([`TokenHolderBuilder::on_refresh_async`]) failed on them.
    pub async fn is_unstored(&self) -> bool {
        self.inner.state.lock().await.unstored
    }
}

impl TokenProvider for TokenHolder {
    fn access_token(&self) -> TokenFuture<'_> {
        Box::pin(TokenHolder::access_token(self))
    }

    fn invalidate(&self, rejected: &SecretString) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        let rejected = rejected.clone();
        Box::pin(async move {
            let mut state = self.inner.state.lock().await;
            // Only the token that was refused: a newer one some other caller got stays.
            if state.tokens.access_token == rejected {
                state.tokens.expires_at = Some(Instant::now());
            }
        })
    }
}

impl fmt::Debug for TokenHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenHolder")
            .field("app", self.inner.refresher.app())
            .field("margin", &self.inner.margin)
            .field("refreshes", &self.inner.refreshes.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// Configures a [`TokenHolder`].
pub struct TokenHolderBuilder {
    refresher: Box<dyn Refresher>,
    tokens: Tokens,
    margin: Duration,
    on_refresh: Option<RefreshCallback>,
    store: Option<StoreCallback>,
}

impl TokenHolderBuilder {
    /// Refreshes when the access token expires within `margin` (60 s by default), so that a
    /// token never expires on its way to the server.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Called with the new tokens after every refresh, before any caller gets the new access
    /// token: store the refresh token here, because the old one may stop working.
    pub fn on_refresh(mut self, callback: impl Fn(&Tokens) + Send + Sync + 'static) -> Self {
        self.on_refresh = Some(Arc::new(callback));
        self
    }

    /// Awaits `store` with the new tokens after every refresh, before any caller gets the new
    /// access token (callers that need a token meanwhile wait): store the refresh token in an
    /// async store (a database, a secrets manager) here.
    ///
    /// When it fails, the new tokens are still used: the old refresh token may already be
    /// revoked, so going back to it would lock the user out. The store is then tried again,
    /// with the tokens held then, before the next access token is handed out, until it succeeds;
    /// [`TokenHolder::is_unstored`] tells whether it has, and with `tracing` each failure is a
    /// warning (without the tokens).
    pub fn on_refresh_async<S, Fut, E>(mut self, store: S) -> Self
    where
        S: Fn(Tokens) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<StoreError>,
    {
        self.store = Some(Arc::new(move |tokens| {
            let stored = store(tokens);
            Box::pin(async move { stored.await.map_err(Into::into) })
        }));
        self
    }

    /// The holder.
    pub fn build(self) -> TokenHolder {
        TokenHolder {
            inner: Arc::new(HolderInner {
                refresher: self.refresher,
                margin: self.margin,
                on_refresh: self.on_refresh,
                store: self.store,
                refreshes: AtomicU64::new(0),
                state: tokio::sync::Mutex::new(HolderState {
                    tokens: self.tokens,
                    last_failure: None,
                    revoked: None,
                    unstored: false,
                }),
            }),
        }
    }
}

impl fmt::Debug for TokenHolderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenHolderBuilder")
            .field("app", self.refresher.app())
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}
