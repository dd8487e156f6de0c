/**
 * Generated from schemas/openapi.json by openapi-typescript (npm run generate -w @regevents/types).
 * Do not edit: change the schemas instead. The hand-written surface is in ../events.ts.
 */
export type paths = Record<string, never>;
export interface webhooks {
    registryNotification: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A registry delivers one envelope of events
         * @description Sent one envelope at a time per endpoint, in order. Any final status outside 200-399, or a transport error, makes the registry retry the same envelope forever (first `threshold` attempts back to back, then one per `backoff`), blocking later events for that endpoint. Headers configured on the endpoint are added verbatim (typically `Authorization`).
         */
        post: operations["receiveRegistryNotification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        Envelope: components["schemas"]["envelope.schema"];
        Event: components["schemas"]["event.schema"];
        /** @description A manifest was put (by tag or digest) or a blob upload was committed. */
        PushEvent: {
            id: components["schemas"]["EventId"];
            timestamp: components["schemas"]["Timestamp"];
            /** @constant */
            action: "push";
            target: components["schemas"]["ContentTarget"];
            request: components["schemas"]["RequestRecord"];
            actor: components["schemas"]["ActorRecord"];
            source: components["schemas"]["SourceRecord"];
        };
        /** @description A manifest or blob was fetched with GET or HEAD. */
        PullEvent: {
            id: components["schemas"]["EventId"];
            timestamp: components["schemas"]["Timestamp"];
            /** @constant */
            action: "pull";
            target: components["schemas"]["ContentTarget"];
            request: components["schemas"]["RequestRecord"];
            actor: components["schemas"]["ActorRecord"];
            source: components["schemas"]["SourceRecord"];
        };
        /** @description A manifest, tag or blob was deleted. */
        DeleteEvent: {
            id: components["schemas"]["EventId"];
            timestamp: components["schemas"]["Timestamp"];
            /** @constant */
            action: "delete";
            target: components["schemas"]["DeleteTarget"];
            request: components["schemas"]["RequestRecord"];
            actor: components["schemas"]["ActorRecord"];
            source: components["schemas"]["SourceRecord"];
        };
        /** @description A blob was mounted from another repository instead of uploaded. */
        MountEvent: {
            id: components["schemas"]["EventId"];
            timestamp: components["schemas"]["Timestamp"];
            /** @constant */
            action: "mount";
            target: components["schemas"]["MountTarget"];
            request: components["schemas"]["RequestRecord"];
            actor: components["schemas"]["ActorRecord"];
            source: components["schemas"]["SourceRecord"];
        };
        /** @description Target of a push or pull: the manifest or blob descriptor plus where it lives. */
        ContentTarget: {
            mediaType: components["schemas"]["MediaType"];
            size: components["schemas"]["Size"];
            digest: components["schemas"]["Digest"];
            /** @description Alternate locations of the content. */
            urls?: string[];
            /** @description Descriptor annotations. */
            annotations?: {
                [key: string]: string;
            };
            platform?: components["schemas"]["Platform"];
            /** @description Artifact type of the manifest (3.x). */
            artifactType?: components["schemas"]["MediaType"];
            /** @description Embedded content, base64 (3.x). */
            data?: string;
            repository: components["schemas"]["Repository"];
            /** @description Where the content can be fetched: always names the digest (`/v2/<name>/manifests/<digest>` or `/v2/<name>/blobs/<digest>`); relative when the registry sets `http.relativeurls`. */
            url: string;
            /**
             * @deprecated
             * @description Deprecated duplicate of `size`.
             */
            length?: components["schemas"]["Size"];
            /** @description Present only when the manifest was pushed or fetched by tag. */
            tag?: components["schemas"]["Tag"];
            /** @description Config then layers of an image manifest, or the child manifests of an index. Only on manifest events, and only with `notifications.events.includereferences: true`. */
            references?: components["schemas"]["Descriptor"][];
        };
        /** @description Target of a cross-repository blob mount. */
        MountTarget: {
            mediaType: components["schemas"]["MediaType"];
            size: components["schemas"]["Size"];
            digest: components["schemas"]["Digest"];
            /** @description Alternate locations of the content. */
            urls?: string[];
            /** @description Descriptor annotations. */
            annotations?: {
                [key: string]: string;
            };
            platform?: components["schemas"]["Platform"];
            /** @description Artifact type of the manifest (3.x). */
            artifactType?: components["schemas"]["MediaType"];
            /** @description Embedded content, base64 (3.x). */
            data?: string;
            repository: components["schemas"]["Repository"];
            /** @description Where the content can be fetched: always names the digest (`/v2/<name>/manifests/<digest>` or `/v2/<name>/blobs/<digest>`); relative when the registry sets `http.relativeurls`. */
            url: string;
            /**
             * @deprecated
             * @description Deprecated duplicate of `size`.
             */
            length?: components["schemas"]["Size"];
            /** @description Repository the blob was mounted from. */
            fromRepository: components["schemas"]["Repository"];
        };
        /** @description Target of a delete. A delete by digest carries `digest` and `repository`; each tag that pointed at a deleted manifest, and (3.x) a delete by tag, give a delete event with `repository` and `tag`. 2.x omits empty fields; 3.x writes `mediaType: ""`, `digest: ""` and `size: 0` on tag deletes. */
        DeleteTarget: components["schemas"]["DigestDeleteTarget"] | components["schemas"]["TagDeleteTarget"];
        /** @description A manifest or blob deleted by digest. */
        DigestDeleteTarget: {
            mediaType?: components["schemas"]["MediaType"] | "";
            size?: components["schemas"]["Size"];
            digest: components["schemas"]["Digest"];
            repository: components["schemas"]["Repository"];
            tag?: never;
            /** @description Where the content can be fetched: always names the digest (`/v2/<name>/manifests/<digest>` or `/v2/<name>/blobs/<digest>`); relative when the registry sets `http.relativeurls`. */
            url?: string;
            /**
             * @deprecated
             * @description Deprecated duplicate of `size`.
             */
            length?: components["schemas"]["Size"];
        };
        /** @description A tag removed: one per tag that pointed at a manifest deleted by digest, or (3.x) a DELETE by tag. 2.x omits the empty fields; 3.x writes them as "" and 0. */
        TagDeleteTarget: {
            /**
             * @description 3.x writes ""; 2.x omits it.
             * @constant
             */
            mediaType?: "";
            /**
             * @description 3.x writes 0; 2.x omits it.
             * @constant
             */
            size?: 0;
            /**
             * @description 3.x writes ""; 2.x omits it.
             * @constant
             */
            digest?: "";
            repository: components["schemas"]["Repository"];
            tag: components["schemas"]["Tag"];
            /** @description Where the content can be fetched: always names the digest (`/v2/<name>/manifests/<digest>` or `/v2/<name>/blobs/<digest>`); relative when the registry sets `http.relativeurls`. */
            url?: string;
            /**
             * @deprecated
             * @constant
             */
            length?: 0;
        };
        /** @description An OCI content descriptor. */
        Descriptor: {
            mediaType: components["schemas"]["MediaType"];
            size: components["schemas"]["Size"];
            digest: components["schemas"]["Digest"];
            /** @description Alternate locations of the content. */
            urls?: string[];
            /** @description Descriptor annotations. */
            annotations?: {
                [key: string]: string;
            };
            platform?: components["schemas"]["Platform"];
            /** @description Artifact type of the manifest (3.x). */
            artifactType?: components["schemas"]["MediaType"];
            /** @description Embedded content, base64 (3.x). */
            data?: string;
        };
        /** @description The platform a manifest in an index is for. */
        Platform: {
            /** @description CPU architecture, e.g. amd64. */
            architecture: string;
            /** @description Operating system, e.g. linux. */
            os: string;
            /** @description Operating system version. */
            "os.version"?: string;
            "os.features"?: string[];
            /** @description CPU variant, e.g. v8. */
            variant?: string;
            features?: string[];
        };
        /** @description The HTTP request that caused the event. */
        RequestRecord: {
            /** @description Request id (a UUID: v4 up to 3.0, v7 from 3.1). */
            id: string;
            /** @description Client address: X-Forwarded-For first, then X-Real-Ip, then the peer address. */
            addr?: string;
            /** @description Host the request was made to. */
            host?: string;
            /** @description HTTP method, e.g. PUT. */
            method: string;
            /** @description The client's User-Agent. */
            useragent: string;
        };
        /** @description Who caused the event; `{}` when anonymous. */
        ActorRecord: {
            /** @description Authenticated user (htpasswd user or token subject). */
            name?: string;
        };
        /** @description The registry instance that sent the event. */
        SourceRecord: {
            /** @description The registry's host name and listen port. */
            addr?: string;
            /** @description Id of the registry process. */
            instanceID?: string;
        };
        /** @description Event id (UUIDv4 up to 3.0, UUIDv7 from 3.1). A redelivery re-sends the same id. */
        EventId: string;
        /** @description RFC 3339 time with up to nine fractional digits (trailing zeros trimmed); may carry a local offset. */
        Timestamp: string;
        /** @description RFC 6838 media type. Blob events report `application/octet-stream`. */
        MediaType: string;
        /** @description Size in bytes. */
        Size: number;
        /**
         * @description Content digest, `<algorithm>:<encoded>` as in the OCI image spec, e.g. `sha256:<64 hex>`.
         * @example sha256:e2585dfb43f63cadbcba620934dcc8750633af9b76086d6a3d920799a110b675
         */
        Digest: string;
        /** @description Repository name, e.g. `library/app`. */
        Repository: string;
        /** @description Tag the manifest was pushed, pulled or deleted by. */
        Tag: string;
        /**
         * Event
         * @description One CNCF distribution (Docker registry) notification event, as sent by distribution 2.x and 3.x. The `action` field selects the shape.
         */
        "event.schema": components["schemas"]["PushEvent"] | components["schemas"]["PullEvent"] | components["schemas"]["DeleteEvent"] | components["schemas"]["MountEvent"];
        /**
         * Envelope
         * @description Body of a notification POST. Registries send one event per envelope, but receivers must accept several; events in one envelope are unrelated.
         */
        "envelope.schema": {
            events: components["schemas"]["event.schema"][];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    receiveRegistryNotification: {
        parameters: {
            query?: never;
            header?: {
                /** @description Go's default client, e.g. `Go-http-client/1.1`. */
                "User-Agent"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /** @description distribution 2.x */
                "application/vnd.docker.distribution.events.v1+json": components["schemas"]["envelope.schema"];
                /** @description distribution 3.x */
                "application/vnd.docker.distribution.events.v2+json": components["schemas"]["envelope.schema"];
            };
        };
        responses: {
            /** @description Delivered. Any status from 200 to 399 counts as success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Anything else is retried forever, with the same event ids. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
