package dev.authoritypack.keycloak.common;

import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.AbstractMultivaluedMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import org.keycloak.http.FormPartValue;
import org.keycloak.http.HttpRequest;

import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The request as Keycloak's endpoints read it ({@code session.getContext().getHttpRequest()}), with the form
 * parameters replaced by the ones the pack translated. Headers (Authorization, DPoP, Origin), the client
 * certificate chain and the URI are the original request's, so client authentication, DPoP, mTLS and CORS
 * work as they would at Keycloak's own endpoint.
 */
public final class FormOverrideHttpRequest implements HttpRequest {

    private final HttpRequest delegate;
    private final MultivaluedMap<String, String> form;
    private final HttpHeaders headers;

    public FormOverrideHttpRequest(HttpRequest delegate, MultivaluedMap<String, String> form) {
        this.delegate = delegate;
        this.form = form;
        this.headers = new FormHeaders(delegate.getHttpHeaders());
    }

    @Override
    public String getHttpMethod() {
        return delegate.getHttpMethod();
    }

    @Override
    public MultivaluedMap<String, String> getDecodedFormParameters() {
        return form;
    }

    @Override
    public MultivaluedMap<String, FormPartValue> getMultiPartFormParameters() {
        return delegate.getMultiPartFormParameters();
    }

    @Override
    public HttpHeaders getHttpHeaders() {
        return headers;
    }

    @Override
    public X509Certificate[] getClientCertificateChain() {
        return delegate.getClientCertificateChain();
    }

    @Override
    public UriInfo getUri() {
        return delegate.getUri();
    }

    @Override
    public boolean isProxyTrusted() {
        return delegate.isProxyTrusted();
    }

    /** The original headers, but with the form's Content-Type (client authenticators read the form only then). */
    private static final class FormHeaders implements HttpHeaders {
        private final HttpHeaders original;
        private final MultivaluedMap<String, String> requestHeaders;

        FormHeaders(HttpHeaders original) {
            this.original = original;
            // case-insensitive like the original: HTTP/2 clients send lower-case names
            this.requestHeaders = new AbstractMultivaluedMap<>(new TreeMap<>(String.CASE_INSENSITIVE_ORDER)) {
            };
            original.getRequestHeaders().forEach((name, values) -> {
                if (!CONTENT_TYPE.equalsIgnoreCase(name)) {
                    requestHeaders.put(name, values);
                }
            });
            requestHeaders.putSingle(CONTENT_TYPE, MediaType.APPLICATION_FORM_URLENCODED);
        }

        @Override
        public List<String> getRequestHeader(String name) {
            return CONTENT_TYPE.equalsIgnoreCase(name) ? List.of(MediaType.APPLICATION_FORM_URLENCODED) : original.getRequestHeader(name);
        }

        @Override
        public String getHeaderString(String name) {
            return CONTENT_TYPE.equalsIgnoreCase(name) ? MediaType.APPLICATION_FORM_URLENCODED : original.getHeaderString(name);
        }

        @Override
        public MultivaluedMap<String, String> getRequestHeaders() {
            return requestHeaders;
        }

        @Override
        public List<MediaType> getAcceptableMediaTypes() {
            return original.getAcceptableMediaTypes();
        }

        @Override
        public List<Locale> getAcceptableLanguages() {
            return original.getAcceptableLanguages();
        }

        @Override
        public MediaType getMediaType() {
            return MediaType.APPLICATION_FORM_URLENCODED_TYPE;
        }

        @Override
        public Locale getLanguage() {
            return original.getLanguage();
        }

        @Override
        public Map<String, Cookie> getCookies() {
            return original.getCookies();
        }

        @Override
        public Date getDate() {
            return original.getDate();
        }

        @Override
        public int getLength() {
            return -1;
        }
    }
}
