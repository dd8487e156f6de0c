/**
 * Generated from schemas/vendors and schemas/normalized by openapi-typescript (npm run generate -w @regevents/types).
 * Do not edit: change the schemas instead. The hand-refined surfaces are ../vendors.ts and ../normalized.ts.
 */
export type paths = Record<string, never>;
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description A manifest was put (by tag or digest) or a blob upload was committed. */
        DistributionPushEvent: {
            id: components["schemas"]["DistributionEventId"];
            timestamp: components["schemas"]["DistributionTimestamp"];
            /** @constant */
            action: "push";
            target: components["schemas"]["DistributionContentTarget"];
            request: components["schemas"]["DistributionRequestRecord"];
            actor: components["schemas"]["DistributionActorRecord"];
            source: components["schemas"]["DistributionSourceRecord"];
        };
        /** @description A manifest or blob was fetched with GET or HEAD. */
        DistributionPullEvent: {
            id: components["schemas"]["DistributionEventId"];
            timestamp: components["schemas"]["DistributionTimestamp"];
            /** @constant */
            action: "pull";
            target: components["schemas"]["DistributionContentTarget"];
            request: components["schemas"]["DistributionRequestRecord"];
            actor: components["schemas"]["DistributionActorRecord"];
            source: components["schemas"]["DistributionSourceRecord"];
        };
        /** @description A manifest, tag or blob was deleted. */
        DistributionDeleteEvent: {
            id: components["schemas"]["DistributionEventId"];
            timestamp: components["schemas"]["DistributionTimestamp"];
            /** @constant */
            action: "delete";
            target: components["schemas"]["DistributionDeleteTarget"];
            request: components["schemas"]["DistributionRequestRecord"];
            actor: components["schemas"]["DistributionActorRecord"];
            source: components["schemas"]["DistributionSourceRecord"];
        };
        /** @description A blob was mounted from another repository instead of uploaded. */
        DistributionMountEvent: {
            id: components["schemas"]["DistributionEventId"];
            timestamp: components["schemas"]["DistributionTimestamp"];
            /** @constant */
            action: "mount";
            target: components["schemas"]["DistributionMountTarget"];
            request: components["schemas"]["DistributionRequestRecord"];
            actor: components["schemas"]["DistributionActorRecord"];
            source: components["schemas"]["DistributionSourceRecord"];
        };
        /** @description Target of a push or pull: the manifest or blob descriptor plus where it lives. */
        DistributionContentTarget: {
            mediaType: components["schemas"]["DistributionMediaType"];
            size: components["schemas"]["DistributionSize"];
            digest: components["schemas"]["DistributionDigest"];
            /** @description Alternate locations of the content. */
            urls?: string[];
            /** @description Descriptor annotations. */
            annotations?: {
                [key: string]: string;
            };
            platform?: components["schemas"]["DistributionPlatform"];
            /** @description Artifact type of the manifest (3.x). */
            artifactType?: components["schemas"]["DistributionMediaType"];
            /** @description Embedded content, base64 (3.x). */
            data?: string;
            repository: components["schemas"]["DistributionRepository"];
            /** @description Where the content can be fetched: always names the digest (`/v2/<name>/manifests/<digest>` or `/v2/<name>/blobs/<digest>`); relative when the registry sets `http.relativeurls`. */
            url: string;
            /**
             * @deprecated
             * @description Deprecated duplicate of `size`.
             */
            length?: components["schemas"]["DistributionSize"];
            /** @description Present only when the manifest was pushed or fetched by tag. */
            tag?: components["schemas"]["DistributionTag"];
            /** @description Config then layers of an image manifest, or the child manifests of an index. Only on manifest events, and only with `notifications.events.includereferences: true`. */
            references?: components["schemas"]["DistributionDescriptor"][];
        };
        /** @description Target of a cross-repository blob mount. */
        DistributionMountTarget: {
            mediaType: components["schemas"]["DistributionMediaType"];
            size: components["schemas"]["DistributionSize"];
            digest: components["schemas"]["DistributionDigest"];
            /** @description Alternate locations of the content. */
            urls?: string[];
            /** @description Descriptor annotations. */
            annotations?: {
                [key: string]: string;
            };
            platform?: components["schemas"]["DistributionPlatform"];
            /** @description Artifact type of the manifest (3.x). */
            artifactType?: components["schemas"]["DistributionMediaType"];
            /** @description Embedded content, base64 (3.x). */
            data?: string;
            repository: components["schemas"]["DistributionRepository"];
            /** @description Where the content can be fetched: always names the digest (`/v2/<name>/manifests/<digest>` or `/v2/<name>/blobs/<digest>`); relative when the registry sets `http.relativeurls`. */
            url: string;
            /**
             * @deprecated
             * @description Deprecated duplicate of `size`.
             */
            length?: components["schemas"]["DistributionSize"];
            /** @description Repository the blob was mounted from. */
            fromRepository: components["schemas"]["DistributionRepository"];
        };
        /** @description An OCI content descriptor. */
        DistributionDescriptor: {
            mediaType: components["schemas"]["DistributionMediaType"];
            size: components["schemas"]["DistributionSize"];
            digest: components["schemas"]["DistributionDigest"];
            /** @description Alternate locations of the content. */
            urls?: string[];
            /** @description Descriptor annotations. */
            annotations?: {
                [key: string]: string;
            };
            platform?: components["schemas"]["DistributionPlatform"];
            /** @description Artifact type of the manifest (3.x). */
            artifactType?: components["schemas"]["DistributionMediaType"];
            /** @description Embedded content, base64 (3.x). */
            data?: string;
        };
        /** @description The platform a manifest in an index is for. */
        DistributionPlatform: {
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
        DistributionRequestRecord: {
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
        DistributionActorRecord: {
            /** @description Authenticated user (htpasswd user or token subject). */
            name?: string;
        };
        /** @description The registry instance that sent the event. */
        DistributionSourceRecord: {
            /** @description The registry's host name and listen port. */
            addr?: string;
            /** @description Id of the registry process. */
            instanceID?: string;
        };
        /** @description Event id (UUIDv4 up to 3.0, UUIDv7 from 3.1). A redelivery re-sends the same id. */
        DistributionEventId: string;
        /** @description RFC 3339 time with up to nine fractional digits (trailing zeros trimmed); may carry a local offset. */
        DistributionTimestamp: string;
        /**
         * @description Content digest, `<algorithm>:<encoded>` as in the OCI image spec, e.g. `sha256:<64 hex>`.
         * @example sha256:e2585dfb43f63cadbcba620934dcc8750633af9b76086d6a3d920799a110b675
         */
        DistributionDigest: string;
        /** @description RFC 6838 media type. Blob events report `application/octet-stream`. */
        DistributionMediaType: string;
        /** @description Repository name, e.g. `library/app`. */
        DistributionRepository: string;
        /** @description Tag the manifest was pushed, pulled or deleted by. */
        DistributionTag: string;
        /** @description Size in bytes. */
        DistributionSize: number;
        /** @description Target of a delete. A delete by digest carries `digest` and `repository`; each tag that pointed at a deleted manifest, and (3.x) a delete by tag, give a delete event with `repository` and `tag`. 2.x omits empty fields; 3.x writes `mediaType: ""`, `digest: ""` and `size: 0` on tag deletes. */
        DistributionDeleteTarget: components["schemas"]["DistributionDigestDeleteTarget"] | components["schemas"]["DistributionTagDeleteTarget"];
        /** @description A manifest or blob deleted by digest. */
        DistributionDigestDeleteTarget: {
            mediaType?: components["schemas"]["DistributionMediaType"] | "";
            size?: components["schemas"]["DistributionSize"];
            digest: components["schemas"]["DistributionDigest"];
            repository: components["schemas"]["DistributionRepository"];
            tag?: never;
            /** @description Where the content can be fetched: always names the digest (`/v2/<name>/manifests/<digest>` or `/v2/<name>/blobs/<digest>`); relative when the registry sets `http.relativeurls`. */
            url?: string;
            /**
             * @deprecated
             * @description Deprecated duplicate of `size`.
             */
            length?: components["schemas"]["DistributionSize"];
        };
        /** @description A tag removed: one per tag that pointed at a manifest deleted by digest, or (3.x) a DELETE by tag. 2.x omits the empty fields; 3.x writes them as "" and 0. */
        DistributionTagDeleteTarget: {
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
            repository: components["schemas"]["DistributionRepository"];
            tag: components["schemas"]["DistributionTag"];
            /** @description Where the content can be fetched: always names the digest (`/v2/<name>/manifests/<digest>` or `/v2/<name>/blobs/<digest>`); relative when the registry sets `http.relativeurls`. */
            url?: string;
            /**
             * @deprecated
             * @constant
             */
            length?: 0;
        };
        /**
         * Envelope
         * @description Body of a notification POST. Registries send one event per envelope, but receivers must accept several; events in one envelope are unrelated.
         */
        DistributionEnvelope: {
            events: components["schemas"]["DistributionEvent"][];
        };
        /**
         * Event
         * @description One CNCF distribution (Docker registry) notification event, as sent by distribution 2.x and 3.x. The `action` field selects the shape.
         */
        DistributionEvent: components["schemas"]["DistributionPushEvent"] | components["schemas"]["DistributionPullEvent"] | components["schemas"]["DistributionDeleteEvent"] | components["schemas"]["DistributionMountEvent"];
        /**
         * Azure Container Registry webhook event
         * @description The single bare event object Azure Container Registry POSTs (no envelope).
         */
        Acr: {
            /** @description Event id. */
            id: string;
            /** @description RFC 3339 time (up to 9 fractional digits). */
            timestamp: string;
            /**
             * @description What happened.
             * @enum {unknown}
             */
            action: "push" | "delete" | "quarantine" | "chart_push" | "chart_delete";
            target: components["schemas"]["AcrTarget"];
            request?: components["schemas"]["AcrRequest"];
        };
        /** @description What the event is about. */
        AcrTarget: {
            /** @description Media type. */
            mediaType?: string;
            /** @description Size in bytes. */
            size?: number;
            /** @description Digest (the docs redact hex digits with x). */
            digest?: string;
            /** @description Same as size. */
            length?: number;
            /** @description Repository name. */
            repository: string;
            /** @description Tag. */
            tag?: string;
            /** @description Chart name (chart events). */
            name?: string;
            /** @description Chart version (chart events). */
            version?: string;
        };
        /** @description The request that caused the event. */
        AcrRequest: {
            /** @description Request id. */
            id?: string;
            /** @description Registry host, e.g. myregistry.azurecr.io. */
            host?: string;
            /** @description HTTP method. */
            method?: string;
            /** @description Client user agent. */
            useragent?: string;
        };
        /**
         * JFrog Artifactory webhook, docker domain
         * @description Artifactory's docker-domain webhook body, either flat as JFrog documents it or inside the {domain, event_type, data} envelope.
         */
        Artifactory: components["schemas"]["ArtifactoryFlat"] | components["schemas"]["ArtifactoryEnvelope"];
        /** @description A platform of a multi-arch image. */
        ArtifactoryPlatform: {
            /** @description CPU architecture. */
            architecture?: string;
            /** @description Operating system. */
            os?: string;
        };
        /** @description The docker event data. */
        ArtifactoryData: {
            /** @description Artifactory repository key. */
            repo_key: string;
            /** @description Path of the manifest in the repository. */
            path?: string;
            /** @description File name. */
            name?: string;
            /** @description SHA-256 of the manifest file (hex). */
            sha256?: string;
            /** @description Manifest size in bytes. */
            size?: number;
            /** @description Image name. */
            image_name: string;
            /** @description Tag. */
            tag?: string;
            /** @description Platforms. */
            platforms?: components["schemas"]["ArtifactoryPlatform"][];
        };
        /** @description Flat form: data fields plus event_type. */
        ArtifactoryFlat: components["schemas"]["ArtifactoryData"] & {
            /**
             * @description What happened.
             * @enum {unknown}
             */
            event_type: "pushed" | "deleted" | "promoted";
        };
        /** @description Envelope form. */
        ArtifactoryEnvelope: {
            /** @description Event id. */
            id?: string;
            /**
             * @description Domain.
             * @constant
             */
            domain: "docker";
            /**
             * @description What happened.
             * @enum {unknown}
             */
            event_type: "pushed" | "deleted" | "promoted";
            /** @description Webhook key. */
            subscription_key?: string;
            /** @description Emitter. */
            source?: string;
            /** @description The data, as an object or as a JSON string. */
            data: components["schemas"]["ArtifactoryData"] | string;
        };
        /**
         * Docker Hub repository webhook
         * @description The body Docker Hub POSTs on a push to a repository with a webhook.
         */
        Dockerhub: {
            /** @description Legacy callback URL (no longer supported). */
            callback_url?: string;
            /** @description The push. */
            push_data: {
                /** @description When, unix seconds. */
                pushed_at: number;
                /** @description Who pushed. */
                pusher?: string;
                /** @description Tag pushed. */
                tag: string;
                /** @description Legacy image ids. */
                images?: string[];
            };
            /** @description The repository. */
            repository: {
                /** @description `<namespace>/<name>`. */
                repo_name: string;
                /** @description Namespace. */
                namespace?: string;
                /** @description Name. */
                name?: string;
                /** @description Owner. */
                owner?: string;
                /** @description Description. */
                description?: string;
                /** @description Full description. */
                full_description?: string;
                /** @description Dockerfile (automated builds). */
                dockerfile?: string;
                /** @description Repository URL. */
                repo_url?: string;
                /** @description Status. */
                status?: string;
                /** @description Official image. */
                is_official?: boolean;
                /** @description Private repository. */
                is_private?: boolean;
                /** @description Automated build. */
                is_trusted?: boolean;
                /** @description Stars. */
                star_count?: number;
                /** @description Comments. */
                comment_count?: number;
                /** @description Created, unix seconds. */
                date_created?: number;
            };
        };
        /**
         * Amazon ECR "ECR Image Action" EventBridge event
         * @description The EventBridge event ECR emits when an image push or delete completes.
         */
        Ecr: {
            /** @description Envelope version. */
            version?: string;
            /** @description Event id. */
            id: string;
            /**
             * @description Detail type.
             * @constant
             */
            "detail-type": "ECR Image Action";
            /**
             * @description Source.
             * @constant
             */
            source: "aws.ecr";
            /** @description AWS account id. */
            account?: string;
            /** @description RFC 3339 time. */
            time: string;
            /** @description AWS region. */
            region?: string;
            /** @description Resource ARNs. */
            resources?: string[];
            /** @description The image action. */
            detail: {
                /**
                 * @description Outcome.
                 * @enum {unknown}
                 */
                result: "SUCCESS" | "FAILURE";
                /** @description Repository name. */
                "repository-name": string;
                /** @description Image digest. */
                "image-digest"?: string;
                /**
                 * @description Push or delete.
                 * @enum {unknown}
                 */
                "action-type": "PUSH" | "DELETE";
                /** @description Tag. */
                "image-tag"?: string;
                /** @description Manifest media type. */
                "manifest-media-type"?: string;
                /** @description Artifact media type. */
                "artifact-media-type"?: string;
            };
        };
        /**
         * Google Artifact Registry Pub/Sub notification
         * @description The JSON data Artifact Registry publishes to the `gcr` topic, raw (pull subscribers) or inside a Pub/Sub push envelope.
         */
        Gar: components["schemas"]["GarData"] | components["schemas"]["GarPushEnvelope"];
        /** @description The Pub/Sub message data (JSON). */
        GarData: {
            /**
             * @description INSERT on upload or new tag, DELETE on deletion.
             * @enum {unknown}
             */
            action: "INSERT" | "DELETE";
            /** @description Full image reference by digest, `<location>-docker.pkg.dev/<project>/<repo>/<image>@sha256:<hex>`. */
            digest?: string;
            /** @description Full image reference by tag. */
            tag?: string;
        } | unknown | unknown;
        /** @description The body Pub/Sub push subscriptions POST. */
        GarPushEnvelope: {
            /** @description The Pub/Sub message. */
            message: {
                /** @description Base64 of the JSON data. */
                data: string;
                /** @description Message id. */
                messageId?: string;
                /** @description Message id (snake case). */
                message_id?: string;
                /** @description Publish time (RFC 3339). */
                publishTime?: string;
                /** @description Publish time (snake case). */
                publish_time?: string;
                /** @description Message attributes. */
                attributes?: {
                    [key: string]: string;
                };
            };
            /** @description Subscription name. */
            subscription?: string;
        };
        /**
         * GitHub Packages webhook (`package` / `registry_package`), container subset
         * @description GitHub's `package` and `registry_package` webhook bodies; regevents reads the container (ghcr.io) ones.
         */
        Ghcr: {
            /**
             * @description What happened.
             * @enum {unknown}
             */
            action: "published" | "updated";
            package?: components["schemas"]["GhcrPackage"];
            registry_package?: components["schemas"]["GhcrPackage"];
            /** @description The repository. */
            repository?: {
                /** @description owner/name. */
                full_name?: string;
            };
            sender?: components["schemas"]["GhcrAccount"];
        } & (unknown | unknown);
        /** @description A GitHub account. */
        GhcrAccount: {
            /** @description Login. */
            login: string;
            /** @description Account id. */
            id?: number;
        };
        /** @description The package. */
        GhcrPackage: {
            /** @description Package id. */
            id?: number;
            /** @description Package name. */
            name: string;
            /** @description owner/name. */
            namespace?: string;
            /** @description Ecosystem, e.g. docker, CONTAINER. */
            ecosystem?: string;
            /** @description Package type, e.g. container. */
            package_type?: string;
            /** @description Package page. */
            html_url?: string;
            /** @description Created (RFC 3339). */
            created_at?: string;
            /** @description Updated (RFC 3339). */
            updated_at?: string;
            owner?: components["schemas"]["GhcrAccount"];
            /** @description The version published. */
            package_version?: {
                /** @description Version id. */
                id?: number;
                /** @description Version or digest. */
                version?: string;
                /** @description For containers, the manifest digest. */
                name?: string;
                /** @description Created (RFC 3339). */
                created_at?: string;
                /** @description Updated (RFC 3339). */
                updated_at?: string;
                /** @description Pull reference. */
                source_url?: string;
                /** @description Pull reference. */
                package_url?: string;
                author?: components["schemas"]["GhcrAccount"];
                /** @description Container details. */
                container_metadata?: {
                    /** @description Tag. */
                    tag?: {
                        /** @description Tag name. */
                        name?: string;
                        /** @description Digest. */
                        digest?: string;
                    };
                    /** @description Manifest summary. */
                    manifest?: Record<string, never>;
                };
            };
            /** @description The registry. */
            registry?: {
                /** @description Registry name. */
                name?: string;
                /** @description Registry type. */
                type?: string;
                /** @description Registry URL. */
                url?: string;
                /** @description Vendor. */
                vendor?: string;
            };
        };
        /**
         * GitLab container registry notification envelope
         * @description The envelope GitLab's container registry (a distribution fork) POSTs: distribution events plus action `rename`, `actor.user_type`, `actor.user` and `meta.blob`.
         */
        Gitlab: {
            /** @description Events, usually one. */
            events: components["schemas"]["GitlabEvent"][];
        };
        /** @description Who caused the event. */
        GitlabActor: {
            /** @description Authenticated user. */
            name?: string;
            /** @description How the user authenticated: deploy_token, personal_access_token, build, gitlab_or_ldap, or empty. */
            user_type?: string;
            /** @description The user as a JWT (GitLab). */
            user?: string;
        };
        /** @description Extra information (GitLab). */
        GitlabMeta: {
            /** @description On blob downloads. */
            blob?: {
                /** @description Whether the download was redirected to storage. */
                redirected: boolean;
                /** @description Configured storage backend, e.g. s3aws. */
                storageBackend: string;
            };
        };
        /** @description A repository rename. */
        GitlabRename: {
            /**
             * @description Whether the name or the namespace changed.
             * @enum {unknown}
             */
            type: "name" | "namespace";
            /** @description Path before. */
            from: components["schemas"]["DistributionRepository"];
            /** @description Path after. */
            to: components["schemas"]["DistributionRepository"];
        };
        /** @description A repository (or its namespace) was renamed. GitLab's registry marks id and timestamp omitempty in Go; the registry fills them on real events. */
        GitlabRenameEvent: {
            id?: components["schemas"]["DistributionEventId"];
            /** @description RFC 3339 time. */
            timestamp?: string;
            request?: components["schemas"]["DistributionRequestRecord"];
            actor?: components["schemas"]["GitlabActor"];
            source?: components["schemas"]["DistributionSourceRecord"];
            meta?: components["schemas"]["GitlabMeta"];
            /**
             * @description Action.
             * @constant
             */
            action: "rename";
            /** @description The renamed repository. */
            target: {
                repository: components["schemas"]["DistributionRepository"];
                rename: components["schemas"]["GitlabRename"];
            };
        };
        /** @description push, pull, delete or mount: the distribution event, with GitLab's actor and meta extensions. */
        GitlabDistributionEvent: components["schemas"]["DistributionEvent"] & {
            actor?: components["schemas"]["GitlabActor"];
            meta?: components["schemas"]["GitlabMeta"];
        };
        /** @description One GitLab registry event. */
        GitlabEvent: Record<string, never>;
        /**
         * Harbor webhook payload (CloudEvents format)
         * @description The structured-mode CloudEvent (Content-Type application/cloudevents+json) Harbor 2.8+ POSTs when the target's payload format is CloudEvents.
         */
        HarborCloudevents: {
            /**
             * @description CloudEvents version.
             * @constant
             */
            specversion: "1.0";
            /** @description A new UUID per delivery. */
            id: string;
            /** @description `/projects/{projectID}/webhook/policies/{policyID}`. */
            source: string;
            /** @description Harbor CloudEvents type. */
            type: string;
            /**
             * @description Always application/json.
             * @constant
             */
            datacontenttype?: "application/json";
            /** @description From occur_at, RFC 3339 (seconds). */
            time: string;
            /** @description The event_data of the Default format. */
            data: Record<string, never>;
            /** @description Extension: who caused the event. */
            operator?: string;
            /** @description Extension: the X-Request-ID of the request that caused it. */
            requestid?: string;
        } & (components["schemas"]["HarborCloudeventsPushArtifactCloudEvent"] | components["schemas"]["HarborCloudeventsPullArtifactCloudEvent"] | components["schemas"]["HarborCloudeventsDeleteArtifactCloudEvent"] | components["schemas"]["HarborCloudeventsScanningCompletedCloudEvent"] | components["schemas"]["HarborCloudeventsScanningFailedCloudEvent"] | components["schemas"]["HarborCloudeventsScanningStoppedCloudEvent"] | components["schemas"]["HarborCloudeventsQuotaExceedCloudEvent"] | components["schemas"]["HarborCloudeventsQuotaWarningCloudEvent"] | components["schemas"]["HarborCloudeventsReplicationCloudEvent"] | components["schemas"]["HarborCloudeventsTagRetentionCloudEvent"]);
        /** @description harbor.artifact.pushed: An artifact was pushed. */
        HarborCloudeventsPushArtifactCloudEvent: {
            /**
             * @description CloudEvents type.
             * @constant
             */
            type?: "harbor.artifact.pushed";
            /** @description The Default payload's event_data. */
            data: components["schemas"]["HarborEventData"] & unknown;
        };
        /** @description harbor.artifact.pulled: An artifact was pulled. */
        HarborCloudeventsPullArtifactCloudEvent: {
            /**
             * @description CloudEvents type.
             * @constant
             */
            type?: "harbor.artifact.pulled";
            /** @description The Default payload's event_data. */
            data: components["schemas"]["HarborEventData"] & unknown;
        };
        /** @description harbor.artifact.deleted: An artifact was deleted. */
        HarborCloudeventsDeleteArtifactCloudEvent: {
            /**
             * @description CloudEvents type.
             * @constant
             */
            type?: "harbor.artifact.deleted";
            /** @description The Default payload's event_data. */
            data: components["schemas"]["HarborEventData"] & unknown;
        };
        /** @description harbor.scan.completed: A scan finished. */
        HarborCloudeventsScanningCompletedCloudEvent: {
            /**
             * @description CloudEvents type.
             * @constant
             */
            type?: "harbor.scan.completed";
            /** @description The Default payload's event_data. */
            data: components["schemas"]["HarborEventData"] & unknown;
        };
        /** @description harbor.scan.failed: A scan failed. */
        HarborCloudeventsScanningFailedCloudEvent: {
            /**
             * @description CloudEvents type.
             * @constant
             */
            type?: "harbor.scan.failed";
            /** @description The Default payload's event_data. */
            data: components["schemas"]["HarborEventData"] & unknown;
        };
        /** @description harbor.scan.stopped: A scan was stopped. */
        HarborCloudeventsScanningStoppedCloudEvent: {
            /**
             * @description CloudEvents type.
             * @constant
             */
            type?: "harbor.scan.stopped";
            /** @description The Default payload's event_data. */
            data: components["schemas"]["HarborEventData"] & unknown;
        };
        /** @description harbor.quota.exceeded: A push was refused because the project quota would be exceeded. */
        HarborCloudeventsQuotaExceedCloudEvent: {
            /**
             * @description CloudEvents type.
             * @constant
             */
            type?: "harbor.quota.exceeded";
            /** @description The Default payload's event_data. */
            data: components["schemas"]["HarborEventData"] & unknown;
        };
        /** @description harbor.quota.warned: Project quota usage crossed the warning threshold. */
        HarborCloudeventsQuotaWarningCloudEvent: {
            /**
             * @description CloudEvents type.
             * @constant
             */
            type?: "harbor.quota.warned";
            /** @description The Default payload's event_data. */
            data: components["schemas"]["HarborEventData"] & unknown;
        };
        /** @description harbor.replication.status.changed: A replication task changed status. */
        HarborCloudeventsReplicationCloudEvent: {
            /**
             * @description CloudEvents type.
             * @constant
             */
            type?: "harbor.replication.status.changed";
            /** @description The Default payload's event_data. */
            data: components["schemas"]["HarborEventData"] & unknown;
        };
        /** @description harbor.tag_retention.finished: A tag retention run finished. */
        HarborCloudeventsTagRetentionCloudEvent: {
            /**
             * @description CloudEvents type.
             * @constant
             */
            type?: "harbor.tag_retention.finished";
            /** @description The Default payload's event_data. */
            data: components["schemas"]["HarborEventData"] & unknown;
        };
        /**
         * Harbor webhook policy
         * @description A project webhook policy as Harbor's API (`/projects/{project}/webhook/policies`) reads and writes it.
         */
        HarborPolicy: {
            /** @description Policy id. */
            id?: number;
            /** @description Policy name. */
            name?: string;
            /** @description Policy description. */
            description?: string;
            /** @description Project id. */
            project_id?: number;
            /** @description Where to send. */
            targets: components["schemas"]["HarborPolicyTarget"][];
            /** @description Subscribed event types. */
            event_types: ("PUSH_ARTIFACT" | "PULL_ARTIFACT" | "DELETE_ARTIFACT" | "SCANNING_COMPLETED" | "SCANNING_FAILED" | "SCANNING_STOPPED" | "QUOTA_EXCEED" | "QUOTA_WARNING" | "REPLICATION" | "TAG_RETENTION")[];
            /** @description Who created it. */
            creator?: string;
            /** @description Created at (date-time). */
            creation_time?: string;
            /** @description Updated at (date-time). */
            update_time?: string;
            /** @description Whether the policy is enabled. */
            enabled?: boolean;
        };
        /** @description A webhook target. */
        HarborPolicyTarget: {
            /**
             * @description Notify type.
             * @enum {unknown}
             */
            type: "http" | "slack";
            /** @description Endpoint URL. */
            address: string;
            /** @description Sent verbatim as the Authorization header. */
            auth_header?: string;
            /** @description Skip TLS verification of the endpoint. */
            skip_cert_verify?: boolean;
            /**
             * @description Payload format (http targets); Default when absent.
             * @enum {unknown}
             */
            payload_format?: "Default" | "CloudEvents";
        };
        /**
         * Harbor webhook payload (Default format)
         * @description The body Harbor 2.x POSTs to an HTTP webhook target whose payload format is Default (or unset). `type` selects the shape.
         */
        Harbor: components["schemas"]["HarborPushArtifactPayload"] | components["schemas"]["HarborPullArtifactPayload"] | components["schemas"]["HarborDeleteArtifactPayload"] | components["schemas"]["HarborScanningCompletedPayload"] | components["schemas"]["HarborScanningFailedPayload"] | components["schemas"]["HarborScanningStoppedPayload"] | components["schemas"]["HarborQuotaExceedPayload"] | components["schemas"]["HarborQuotaWarningPayload"] | components["schemas"]["HarborReplicationPayload"] | components["schemas"]["HarborTagRetentionPayload"];
        /** @description An artifact the event is about. */
        HarborResource: {
            /** @description Manifest digest of the artifact. */
            digest?: string;
            /** @description Tag of the artifact; Harbor puts the digest here when the artifact is untagged. */
            tag?: string;
            /** @description Pull reference, `<host>/<project>/<repo>:<tag>` or `@<digest>`. */
            resource_url?: string;
            /** @description Scan summaries keyed by report media type (scanning events). */
            scan_overview?: {
                [key: string]: unknown;
            };
            /** @description SBOM summary (SBOM scans). */
            sbom_overview?: {
                [key: string]: unknown;
            };
        };
        /** @description The repository the event is about. */
        HarborRepository: {
            /** @description When the repository was created, unix seconds. */
            date_created?: number;
            /** @description Repository name without the project, e.g. `alpine`. */
            name: string;
            /** @description Project name, e.g. `library`. */
            namespace: string;
            /** @description `<project>/<name>`. */
            repo_full_name: string;
            /**
             * @description Whether the project is public or private.
             * @enum {unknown}
             */
            repo_type: "public" | "private";
        };
        /** @description An artifact in a replication or retention result. */
        HarborArtifactInfo: {
            /** @description Artifact type, e.g. `image`. */
            type: string;
            /** @description Task status. */
            status: string;
            /** @description `<repo>:<tag>`, `<repo>@<digest>` or a summary such as `alpine [1 item(s) in total]`. */
            name_tag: string;
            /** @description Tags or digests replicated. */
            references?: string[];
            /** @description Why the task failed. */
            fail_reason?: string;
        };
        /** @description A registry end of a replication. */
        HarborReplicationResource: {
            /** @description Registry name in Harbor. */
            registry_name?: string;
            /** @description Adapter type, e.g. `harbor`, `docker-hub`. */
            registry_type: string;
            /** @description Registry URL. */
            endpoint: string;
            /** @description Provider name. */
            provider?: string;
            /** @description Namespace (project) replicated. */
            namespace?: string;
        };
        /** @description Replication task status (REPLICATION). */
        HarborReplication: {
            /** @description Host name of this Harbor. */
            harbor_hostname?: string;
            /**
             * @description Task status this event reports.
             * @enum {unknown}
             */
            job_status: "Pending" | "Running" | "Stopped" | "Error" | "Success" | "Scheduled";
            /** @description Replication policy description. */
            description?: string;
            /** @description Resource type replicated, e.g. `image`. */
            artifact_type?: string;
            /** @description Credential type of the remote registry. */
            authentication_type?: string;
            /** @description Whether the policy overwrites existing artifacts. */
            override_mode?: boolean;
            /** @description What started the execution: MANUAL, SCHEDULED or EVENT_BASED. */
            trigger_type?: string;
            /** @description Who created the policy. */
            policy_creator?: string;
            /** @description When the execution started, unix seconds. */
            execution_timestamp?: number;
            /** @description Source registry. */
            src_resource?: components["schemas"]["HarborReplicationResource"];
            /** @description Destination registry. */
            dest_resource?: components["schemas"]["HarborReplicationResource"];
            /** @description Artifacts copied (on Success). */
            successful_artifact?: components["schemas"]["HarborArtifactInfo"][];
            /** @description Artifacts that failed (on Error). */
            failed_artifact?: components["schemas"]["HarborArtifactInfo"][];
            /** @description Replication execution id. */
            execution_id?: number;
            /** @description Replication task id. */
            task_id?: number;
        };
        /** @description Tag retention result (TAG_RETENTION). */
        HarborRetention: {
            /** @description Artifacts considered. */
            total: number;
            /** @description Artifacts kept. */
            retained: number;
            /** @description Host name of this Harbor. */
            harbor_hostname?: string;
            /** @description Project the policy belongs to. */
            project_name?: string;
            /** @description Retention policy id. */
            retention_policy_id?: number;
            /** @description Rules of the policy. */
            retention_rule?: {
                /** @description Rule template, e.g. `always`, `latestPushedK`. */
                template?: string;
                /** @description Template parameters. */
                params?: Record<string, never>;
                /** @description Tag selectors. */
                tag_selectors?: components["schemas"]["HarborRetentionSelector"][];
                /** @description Scope selectors by scope. */
                scope_selectors?: {
                    [key: string]: components["schemas"]["HarborRetentionSelector"][];
                };
            }[];
            /** @description Execution result, e.g. `SUCCESS`. */
            result?: string;
            /** @description Artifacts deleted. */
            deleted_artifact?: components["schemas"]["HarborArtifactInfo"][];
        };
        /** @description A retention selector. */
        HarborRetentionSelector: {
            /** @description Selector kind, e.g. `doublestar`. */
            kind?: string;
            /** @description e.g. `matches`, `repoMatches`. */
            decoration?: string;
            /** @description Pattern. */
            pattern?: string;
            /** @description Extra options as a JSON string. */
            extras?: string;
        };
        /** @description What the event is about; which keys are present depends on the type. */
        HarborEventData: {
            /** @description Artifacts. */
            resources?: components["schemas"]["HarborResource"][];
            repository?: components["schemas"]["HarborRepository"];
            replication?: components["schemas"]["HarborReplication"];
            retention?: components["schemas"]["HarborRetention"];
            /** @description Scan information. */
            scan?: {
                /** @description `vulnerability` or `sbom`. */
                scan_type?: string;
            };
            /** @description Extra details, e.g. `Details` on quota events. */
            custom_attributes?: {
                [key: string]: string;
            };
        };
        /** @description PUSH_ARTIFACT: An artifact was pushed. */
        HarborPushArtifactPayload: {
            /**
             * @description Event type.
             * @constant
             */
            type: "PUSH_ARTIFACT";
            /** @description When it happened, unix seconds. */
            occur_at: number;
            /** @description User or robot that caused it (may be empty or a trigger name such as MANUAL). */
            operator: string;
            /** @description Event details. */
            event_data: components["schemas"]["HarborEventData"] & unknown;
        };
        /** @description PULL_ARTIFACT: An artifact was pulled. */
        HarborPullArtifactPayload: {
            /**
             * @description Event type.
             * @constant
             */
            type: "PULL_ARTIFACT";
            /** @description When it happened, unix seconds. */
            occur_at: number;
            /** @description User or robot that caused it (may be empty or a trigger name such as MANUAL). */
            operator: string;
            /** @description Event details. */
            event_data: components["schemas"]["HarborEventData"] & unknown;
        };
        /** @description DELETE_ARTIFACT: An artifact was deleted. */
        HarborDeleteArtifactPayload: {
            /**
             * @description Event type.
             * @constant
             */
            type: "DELETE_ARTIFACT";
            /** @description When it happened, unix seconds. */
            occur_at: number;
            /** @description User or robot that caused it (may be empty or a trigger name such as MANUAL). */
            operator: string;
            /** @description Event details. */
            event_data: components["schemas"]["HarborEventData"] & unknown;
        };
        /** @description SCANNING_COMPLETED: A scan finished. */
        HarborScanningCompletedPayload: {
            /**
             * @description Event type.
             * @constant
             */
            type: "SCANNING_COMPLETED";
            /** @description When it happened, unix seconds. */
            occur_at: number;
            /** @description User or robot that caused it (may be empty or a trigger name such as MANUAL). */
            operator: string;
            /** @description Event details. */
            event_data: components["schemas"]["HarborEventData"] & unknown;
        };
        /** @description SCANNING_FAILED: A scan failed. */
        HarborScanningFailedPayload: {
            /**
             * @description Event type.
             * @constant
             */
            type: "SCANNING_FAILED";
            /** @description When it happened, unix seconds. */
            occur_at: number;
            /** @description User or robot that caused it (may be empty or a trigger name such as MANUAL). */
            operator: string;
            /** @description Event details. */
            event_data: components["schemas"]["HarborEventData"] & unknown;
        };
        /** @description SCANNING_STOPPED: A scan was stopped. */
        HarborScanningStoppedPayload: {
            /**
             * @description Event type.
             * @constant
             */
            type: "SCANNING_STOPPED";
            /** @description When it happened, unix seconds. */
            occur_at: number;
            /** @description User or robot that caused it (may be empty or a trigger name such as MANUAL). */
            operator: string;
            /** @description Event details. */
            event_data: components["schemas"]["HarborEventData"] & unknown;
        };
        /** @description QUOTA_EXCEED: A push was refused because the project quota would be exceeded. */
        HarborQuotaExceedPayload: {
            /**
             * @description Event type.
             * @constant
             */
            type: "QUOTA_EXCEED";
            /** @description When it happened, unix seconds. */
            occur_at: number;
            /** @description User or robot that caused it (may be empty or a trigger name such as MANUAL). */
            operator: string;
            /** @description Event details. */
            event_data: components["schemas"]["HarborEventData"] & unknown;
        };
        /** @description QUOTA_WARNING: Project quota usage crossed the warning threshold. */
        HarborQuotaWarningPayload: {
            /**
             * @description Event type.
             * @constant
             */
            type: "QUOTA_WARNING";
            /** @description When it happened, unix seconds. */
            occur_at: number;
            /** @description User or robot that caused it (may be empty or a trigger name such as MANUAL). */
            operator: string;
            /** @description Event details. */
            event_data: components["schemas"]["HarborEventData"] & unknown;
        };
        /** @description REPLICATION: A replication task changed status. */
        HarborReplicationPayload: {
            /**
             * @description Event type.
             * @constant
             */
            type: "REPLICATION";
            /** @description When it happened, unix seconds. */
            occur_at: number;
            /** @description User or robot that caused it (may be empty or a trigger name such as MANUAL). */
            operator: string;
            /** @description Event details. */
            event_data: components["schemas"]["HarborEventData"] & unknown;
        };
        /** @description TAG_RETENTION: A tag retention run finished. */
        HarborTagRetentionPayload: {
            /**
             * @description Event type.
             * @constant
             */
            type: "TAG_RETENTION";
            /** @description When it happened, unix seconds. */
            occur_at: number;
            /** @description User or robot that caused it (may be empty or a trigger name such as MANUAL). */
            operator: string;
            /** @description Event details. */
            event_data: components["schemas"]["HarborEventData"] & unknown;
        };
        /**
         * Quay repo_push notification
         * @description The event data Quay POSTs to a webhook for a `repo_push` notification.
         */
        Quay: {
            /** @description Repository name. */
            name?: string;
            /** @description `<namespace>/<name>`. */
            repository: string;
            /** @description Namespace. */
            namespace?: string;
            /** @description Pull reference without tag, e.g. quay.io/ns/repo. */
            docker_url: string;
            /** @description Repository page. */
            homepage?: string;
            /** @description Tags pushed. */
            updated_tags: string[];
            /** @description Images pruned (test notifications). */
            pruned_image_count?: number;
        };
        /**
         * Normalized registry event
         * @description A registry event from any supported registry in the regevents normalized model, as JSON: the `data` of the `io.regevents.<kind>` CloudEvents (`occurredAt` is an RFC 3339 string there).
         */
        NormalizedEvent: {
            /**
             * @description What happened.
             * @enum {unknown}
             */
            kind: "artifact.pushed" | "artifact.pulled" | "artifact.deleted" | "tag.deleted" | "blob.pushed" | "blob.pulled" | "blob.mounted" | "blob.deleted" | "repository.renamed" | "scan.completed" | "scan.failed" | "scan.stopped" | "quota.exceeded" | "quota.warning" | "replication.status" | "retention.finished";
            /** @description Which registry sent it. */
            registry: {
                /**
                 * @description Registry product.
                 * @enum {unknown}
                 */
                kind: "distribution" | "gitlab" | "harbor" | "acr" | "dockerhub" | "quay" | "ghcr" | "gar" | "ecr" | "artifactory";
                /** @description Registry host, when known. */
                host?: string;
            };
            /** @description Repository path without the host; for project-level Harbor events, the project. */
            repository: string;
            /** @description Content digest, as the vendor wrote it (vendors' published examples redact or truncate some). */
            digest?: string;
            /** @description Tag. */
            tag?: string;
            /** @description Media type of the content. */
            mediaType?: string;
            /** @description Size in bytes. */
            size?: number;
            /** @description Who caused it, when the vendor says. */
            actor?: string;
            /** @description When it happened; for formats that carry no time, when it was normalized. */
            occurredAt: string;
            /** @description The vendor's event id, or a stable id derived from the event when it has none. */
            id: string;
            /** @description The source event as received, so nothing is lost. */
            raw: unknown;
            /** @description Fields the registry's event left out and the relay's enrichment filled in, each naming where its value came from: `registry` (read from the registry's API when the event was consumed), `log-state` (the relay's last known digest of the tag when the event was appended). A field not named here is the registry's own. */
            derived?: {
                /**
                 * @description Where `digest` came from.
                 * @enum {unknown}
                 */
                digest?: "registry" | "log-state";
                /**
                 * @description Where `tag` came from.
                 * @enum {unknown}
                 */
                tag?: "registry";
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
