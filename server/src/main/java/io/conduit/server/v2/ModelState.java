package io.conduit.server.v2;

/**
 * Where one configured model version stands in a service that loads its models after opening its
 * port: the names Triton's repository index uses, so tooling written for Triton reads them as it
 * reads Triton's. A model is {@link #LOADING} from start until its package is verified and its
 * session made, then {@link #READY}, or {@link #UNAVAILABLE} with the reason it could not load.
 */
public enum ModelState {
    LOADING,
    READY,
    UNAVAILABLE
}
