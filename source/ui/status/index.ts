export {type RenderStatusOptions, renderStatus} from './render-status.tsx';
export {StatusView, type StatusViewProps} from './status-view.tsx';
