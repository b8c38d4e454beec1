import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace tracking. */
export namespace tracking {

    /**
     * Properties of a TrackingEvent.
     * @deprecated Use tracking.TrackingEvent.$Properties instead.
     */
    interface ITrackingEvent extends tracking.TrackingEvent.$Properties {
    }

    /** Represents a TrackingEvent. */
    class TrackingEvent {

        /**
         * Constructs a new TrackingEvent.
         * @param [properties] Properties to set
         */
        constructor(properties?: tracking.TrackingEvent.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** TrackingEvent programid. */
        programid: string;

        /** TrackingEvent checksum. */
        checksum: string;

        /** TrackingEvent customerId. */
        customerId: number;

        /** TrackingEvent userAgent. */
        userAgent: string;

        /** TrackingEvent programName. */
        programName: string;

        /** TrackingEvent customerName. */
        customerName: string;

        /** TrackingEvent isValid. */
        isValid: boolean;

        /** TrackingEvent messageId. */
        messageId: string;

        /** TrackingEvent timestampMs. */
        timestampMs: (number|Long);

        /**
         * Creates a new TrackingEvent instance using the specified properties.
         * @param [properties] Properties to set
         * @returns TrackingEvent instance
         */
        static create(properties: tracking.TrackingEvent.$Shape): tracking.TrackingEvent & tracking.TrackingEvent.$Shape;
        static create(properties?: tracking.TrackingEvent.$Properties): tracking.TrackingEvent;

        /**
         * Encodes the specified TrackingEvent message. Does not implicitly {@link tracking.TrackingEvent.verify|verify} messages.
         * @param message TrackingEvent message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: tracking.TrackingEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a TrackingEvent message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {tracking.TrackingEvent & tracking.TrackingEvent.$Shape} TrackingEvent
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): tracking.TrackingEvent & tracking.TrackingEvent.$Shape;
    }

    namespace TrackingEvent {

        /** Properties of a TrackingEvent. */
        interface $Properties {

            /** TrackingEvent programid */
            programid?: (string|null);

            /** TrackingEvent checksum */
            checksum?: (string|null);

            /** TrackingEvent customerId */
            customerId?: (number|null);

            /** TrackingEvent userAgent */
            userAgent?: (string|null);

            /** TrackingEvent programName */
            programName?: (string|null);

            /** TrackingEvent customerName */
            customerName?: (string|null);

            /** TrackingEvent isValid */
            isValid?: (boolean|null);

            /** TrackingEvent messageId */
            messageId?: (string|null);

            /** TrackingEvent timestampMs */
            timestampMs?: (number|Long|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a TrackingEvent. */
        type $Shape = tracking.TrackingEvent.$Properties;
    }
}
