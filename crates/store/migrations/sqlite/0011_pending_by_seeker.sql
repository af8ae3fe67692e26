-- A seeker's open requests are read before every request they send (one per host, at most the host's limit in
-- all). Through `requests_by_seeker` that read visited every request the seeker ever sent; under load that
-- was the costliest statement of sending a request (docs/PERFORMANCE.md). Only pending ones are wanted.
CREATE INDEX requests_pending_by_seeker ON requests (seeker_id) WHERE status = 'pending';
