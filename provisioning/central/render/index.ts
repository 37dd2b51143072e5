/** Central's system files: the nginx reverse proxy, CouchDB's local.ini fragment and vm.args, a cluster's set-up calls. */
export { renderCentral, type CentralRenderOptions, type CentralRenderReport } from './render.js';
export { nginxSite, NGINX_DEFAULTS, type NginxOptions } from './nginx.js';
export { localIni, vmArgs, sizing, type Secrets, type CouchNode, type Sizing } from './couchdb.js';
export { clusterSetupCalls, finishCluster, parseNodeAddress, type ClusterCall, type ClusterReport } from './cluster.js';
