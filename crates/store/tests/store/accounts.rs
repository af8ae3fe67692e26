//! Sign-up, login look-ups and API tokens.

use coffeechat_domain::{AccountId, Email};
use coffeechat_store::StoreError;

use crate::support::{backends, new_account};

#[tokio::test]
async fn a_new_account_can_be_read_back_by_id_and_by_email() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let created =
            store.create_account(new_account("Ada@Example.org", "Ada Lovelace", &["host", "seeker"])).await.unwrap();
        assert_eq!(created.email.as_str(), "ada@example.org");
        assert!(created.roles.host && created.roles.seeker);
        assert_eq!(created.time_zone.as_str(), "Europe/Berlin");

        assert_eq!(store.account(created.id).await.unwrap(), Some(created.clone()));
        let (account, hash) = store.credentials(&Email::parse("ada@example.org").unwrap()).await.unwrap().unwrap();
        assert_eq!(account, created);
        assert!(hash.starts_with("$argon2id$"));
    }
}

#[tokio::test]
async fn unknown_accounts_are_absent_not_errors() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        assert_eq!(store.account(AccountId(404)).await.unwrap(), None);
        assert!(store.credentials(&Email::parse("nobody@example.org").unwrap()).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn an_email_can_belong_to_one_account_only() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let first = store.create_account(new_account("grace@example.org", "Grace", &["seeker"])).await.unwrap();
        let again = store.create_account(new_account("GRACE@example.org", "Impostor", &["host"])).await;
        assert!(matches!(again, Err(StoreError::Taken { field: "email" })), "{again:?}");
        // Nothing of the refused sign-up was written.
        let (account, _) = store.credentials(&first.email).await.unwrap().unwrap();
        assert_eq!(account.name, "Grace");
    }
}

#[tokio::test]
async fn api_tokens_find_their_account_by_hash() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = store.create_account(new_account("ada@example.org", "Ada", &["seeker"])).await.unwrap();
        let bob = store.create_account(new_account("bob@example.org", "Bob", &["host"])).await.unwrap();
        store.create_api_token(ada.id, "hash-of-ada-token").await.unwrap();
        store.create_api_token(ada.id, "hash-of-second-ada-token").await.unwrap();
        store.create_api_token(bob.id, "hash-of-bob-token").await.unwrap();

        assert_eq!(store.account_by_api_token("hash-of-ada-token").await.unwrap(), Some(ada.clone()));
        assert_eq!(store.account_by_api_token("hash-of-second-ada-token").await.unwrap(), Some(ada.clone()));
        assert_eq!(store.account_by_api_token("hash-of-bob-token").await.unwrap(), Some(bob));
        // A repeated use (which may refresh last-use bookkeeping) still answers the same.
        assert_eq!(store.account_by_api_token("hash-of-ada-token").await.unwrap(), Some(ada));
        assert_eq!(store.account_by_api_token("hash-of-nothing").await.unwrap(), None);
    }
}

#[tokio::test]
async fn a_token_for_a_missing_account_is_refused() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let result = store.create_api_token(AccountId(999), "orphan").await;
        assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
        assert_eq!(store.account_by_api_token("orphan").await.unwrap(), None);
    }
}

#[tokio::test]
async fn migrating_again_is_harmless_and_ping_reaches_the_database() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        store.create_account(new_account("ada@example.org", "Ada", &["seeker"])).await.unwrap();
        store.migrate().await.unwrap();
        store.ping().await.unwrap();
        assert!(store.credentials(&Email::parse("ada@example.org").unwrap()).await.unwrap().is_some());
    }
}
