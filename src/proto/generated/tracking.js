/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const tracking = $root.tracking = (() => {

    /**
     * Namespace tracking.
     * @exports tracking
     * @namespace
     */
    const tracking = {};

    tracking.TrackingEvent = (function() {

        /**
         * Properties of a TrackingEvent.
         * @typedef {Object} tracking.TrackingEvent.$Properties
         * @property {string|null} [programid] TrackingEvent programid
         * @property {string|null} [checksum] TrackingEvent checksum
         * @property {number|null} [customerId] TrackingEvent customerId
         * @property {string|null} [userAgent] TrackingEvent userAgent
         * @property {string|null} [programName] TrackingEvent programName
         * @property {string|null} [customerName] TrackingEvent customerName
         * @property {boolean|null} [isValid] TrackingEvent isValid
         * @property {string|null} [messageId] TrackingEvent messageId
         * @property {number|Long|null} [timestampMs] TrackingEvent timestampMs
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a TrackingEvent.
         * @memberof tracking
         * @interface ITrackingEvent
         * @augments tracking.TrackingEvent.$Properties
         * @deprecated Use tracking.TrackingEvent.$Properties instead.
         */

        /**
         * Shape of a TrackingEvent.
         * @typedef {tracking.TrackingEvent.$Properties} tracking.TrackingEvent.$Shape
         */

        /**
         * Constructs a new TrackingEvent.
         * @memberof tracking
         * @classdesc Represents a TrackingEvent.
         * @constructor
         * @param {tracking.TrackingEvent.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const TrackingEvent = function (properties) {
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * TrackingEvent programid.
         * @member {string} programid
         * @memberof tracking.TrackingEvent
         * @instance
         */
        TrackingEvent.prototype.programid = "";

        /**
         * TrackingEvent checksum.
         * @member {string} checksum
         * @memberof tracking.TrackingEvent
         * @instance
         */
        TrackingEvent.prototype.checksum = "";

        /**
         * TrackingEvent customerId.
         * @member {number} customerId
         * @memberof tracking.TrackingEvent
         * @instance
         */
        TrackingEvent.prototype.customerId = 0;

        /**
         * TrackingEvent userAgent.
         * @member {string} userAgent
         * @memberof tracking.TrackingEvent
         * @instance
         */
        TrackingEvent.prototype.userAgent = "";

        /**
         * TrackingEvent programName.
         * @member {string} programName
         * @memberof tracking.TrackingEvent
         * @instance
         */
        TrackingEvent.prototype.programName = "";

        /**
         * TrackingEvent customerName.
         * @member {string} customerName
         * @memberof tracking.TrackingEvent
         * @instance
         */
        TrackingEvent.prototype.customerName = "";

        /**
         * TrackingEvent isValid.
         * @member {boolean} isValid
         * @memberof tracking.TrackingEvent
         * @instance
         */
        TrackingEvent.prototype.isValid = false;

        /**
         * TrackingEvent messageId.
         * @member {string} messageId
         * @memberof tracking.TrackingEvent
         * @instance
         */
        TrackingEvent.prototype.messageId = "";

        /**
         * TrackingEvent timestampMs.
         * @member {number|Long} timestampMs
         * @memberof tracking.TrackingEvent
         * @instance
         */
        TrackingEvent.prototype.timestampMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Creates a new TrackingEvent instance using the specified properties.
         * @function create
         * @memberof tracking.TrackingEvent
         * @static
         * @param {tracking.TrackingEvent.$Properties=} [properties] Properties to set
         * @returns {tracking.TrackingEvent} TrackingEvent instance
         * @type {{
         *   (properties: tracking.TrackingEvent.$Shape): tracking.TrackingEvent & tracking.TrackingEvent.$Shape;
         *   (properties?: tracking.TrackingEvent.$Properties): tracking.TrackingEvent;
         * }}
         */
        TrackingEvent.create = function(properties) {
            return new TrackingEvent(properties);
        };

        /**
         * Encodes the specified TrackingEvent message. Does not implicitly {@link tracking.TrackingEvent.verify|verify} messages.
         * @function encode
         * @memberof tracking.TrackingEvent
         * @static
         * @param {tracking.TrackingEvent.$Properties} message TrackingEvent message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        TrackingEvent.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.programid != null && $Object.hasOwnProperty.call(message, "programid") && message.programid !== "")
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.programid);
            if (message.checksum != null && $Object.hasOwnProperty.call(message, "checksum") && message.checksum !== "")
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.checksum);
            if (message.customerId != null && $Object.hasOwnProperty.call(message, "customerId") && message.customerId !== 0)
                writer.uint32(/* id 3, wireType 0 =*/24).int32(message.customerId);
            if (message.userAgent != null && $Object.hasOwnProperty.call(message, "userAgent") && message.userAgent !== "")
                writer.uint32(/* id 4, wireType 2 =*/34).string(message.userAgent);
            if (message.programName != null && $Object.hasOwnProperty.call(message, "programName") && message.programName !== "")
                writer.uint32(/* id 5, wireType 2 =*/42).string(message.programName);
            if (message.customerName != null && $Object.hasOwnProperty.call(message, "customerName") && message.customerName !== "")
                writer.uint32(/* id 6, wireType 2 =*/50).string(message.customerName);
            if (message.isValid != null && $Object.hasOwnProperty.call(message, "isValid") && message.isValid !== false)
                writer.uint32(/* id 7, wireType 0 =*/56).bool(message.isValid);
            if (message.messageId != null && $Object.hasOwnProperty.call(message, "messageId") && message.messageId !== "")
                writer.uint32(/* id 8, wireType 2 =*/66).string(message.messageId);
            if (message.timestampMs != null && $Object.hasOwnProperty.call(message, "timestampMs") && (typeof message.timestampMs === "object" ? message.timestampMs.low || message.timestampMs.high : message.timestampMs !== 0))
                writer.uint32(/* id 9, wireType 0 =*/72).int64(message.timestampMs);
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Decodes a TrackingEvent message from the specified reader or buffer.
         * @function decode
         * @memberof tracking.TrackingEvent
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {tracking.TrackingEvent & tracking.TrackingEvent.$Shape} TrackingEvent
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        TrackingEvent.decode = function (reader, length, _end, _depth, _target) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            let end, message, value;
            if (length === $undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw $RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = _target || new $root.tracking.TrackingEvent();
            while (reader.pos < end) {
                let start = reader.pos;
                let tag = reader.tag();
                if (tag === _end) {
                    _end = $undefined;
                    break;
                }
                let wireType = tag & 7;
                switch (tag >>>= 3) {
                case 1: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.programid = value;
                        else
                            delete message.programid;
                        continue;
                    }
                case 2: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.checksum = value;
                        else
                            delete message.checksum;
                        continue;
                    }
                case 3: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.int32())
                            message.customerId = value;
                        else
                            delete message.customerId;
                        continue;
                    }
                case 4: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.userAgent = value;
                        else
                            delete message.userAgent;
                        continue;
                    }
                case 5: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.programName = value;
                        else
                            delete message.programName;
                        continue;
                    }
                case 6: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.customerName = value;
                        else
                            delete message.customerName;
                        continue;
                    }
                case 7: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.bool())
                            message.isValid = value;
                        else
                            delete message.isValid;
                        continue;
                    }
                case 8: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.messageId = value;
                        else
                            delete message.messageId;
                        continue;
                    }
                case 9: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.timestampMs = value;
                        else
                            delete message.timestampMs;
                        continue;
                    }
                }
                reader.skipType(wireType, _depth, tag);
                if (!reader.discardUnknown) {
                    $util.makeProp(message, "$unknowns", false);
                    (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                }
            }
            if (length !== $undefined) {
                if (reader.pos !== end)
                    throw $RangeError("index out of range");
                reader.len = length;
            }
            if (_end !== $undefined)
                throw $Error("missing end group");
            return message;
        };

        return TrackingEvent;
    })();

    return tracking;
})();

export {
  $root as default
};
