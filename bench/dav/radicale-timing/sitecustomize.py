# Times Radicale's own write path without changing it: put this folder on PYTHONPATH and set RAD_TIMING to a
# file; every 2 s (and at exit) it holds, per wrapped function: calls, total seconds, milliseconds per call.
import atexit, os, signal, sys, threading, time
if os.environ.get('RAD_TIMING'):
    import radicale.storage as st
    import radicale.storage.multifilesystem as mfs
    import radicale.storage.multifilesystem.base as base
    import radicale.storage.multifilesystem.upload as up
    import radicale.storage.multifilesystem.cache as cache
    import radicale.storage.multifilesystem.history as hist
    import radicale.app.put as put
    import radicale.app as app
    import radicale.item as item
    import radicale.auth.htpasswd as htp
    T = {}; L = threading.Lock()
    def wrap(owner, name, label):
        f = getattr(owner, name)
        def w(*a, **k):
            t = time.perf_counter()
            try: return f(*a, **k)
            finally:
                with L:
                    s = T.setdefault(label, [0, 0.0]); s[0] += 1; s[1] += time.perf_counter() - t
        setattr(owner, name, w)
    wrap(st.BaseCollection, 'has_uid', 'has_uid (UID check, whole collection)')
    wrap(up.CollectionPartUpload, 'upload', 'upload (write item+cache+history)')
    wrap(base.StorageBase, '_fsync', 'fsync calls')
    wrap(base.StorageBase, '_sync_directory', 'directory fsync')
    wrap(cache.CollectionPartCache, '_store_item_cache', 'item cache store')
    wrap(cache.CollectionPartCache, '_clean_item_cache', 'item cache clean')
    wrap(hist.CollectionPartHistory, '_update_history_etag', 'history etag')
    wrap(hist.CollectionPartHistory, '_clean_history', 'history clean')
    wrap(put, 'prepare', 'prepare (vobject parse, sanitize, serialize)')
    wrap(put.ApplicationPartPut, 'do_PUT', 'do_PUT total')
    wrap(app.Application, '_handle_request', 'request total (auth+method)')
    wrap(htp.Auth, 'login', 'auth login')
    wrap(mfs.Storage, 'acquire_lock', 'acquire_lock (enter only)')
    def dump(*_):
        with open(os.environ['RAD_TIMING'], 'w') as out:
            for k, (n, s) in sorted(T.items(), key=lambda kv: -kv[1][1]):
                out.write(f'{k}\t{n}\t{s:.2f}s\t{1000*s/max(n,1):.1f}ms\n')
    atexit.register(dump)
    def loop():
        while True:
            time.sleep(2); dump()
    threading.Thread(target=loop, daemon=True).start()
